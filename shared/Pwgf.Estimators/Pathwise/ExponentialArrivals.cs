using Pwgf.Estimators.Families;
using Pwgf.Estimators.Objectives;
using static TorchSharp.torch;

namespace Pwgf.Estimators.Pathwise;

/// <summary>
/// EAT, the exponential-arrival-times relaxation of a Poisson (Vafaii, Galor, Yates 2024, the Poisson VAE): a
/// Poisson(lambda) count is the number of arrivals of a rate-lambda process in [0, 1]. With arrival times
/// t_k = cumsum(E_k / lambda), E_k ~ Exp(1), the relaxed count sum_k sigmoid((1 - t_k) / tau) is differentiable in
/// lambda; f is evaluated there (biased). Without truncation its mean is lambda (1 + tau log(1 + e^(-1/tau))), so
/// the relative bias of the mean is set by tau alone; the n simulated arrivals must reach well past t = 1 for that to
/// hold, which <see cref="ArrivalsFor"/> ensures when n is left automatic (0).
/// </summary>
public sealed class ExponentialArrivals(double temperature, int arrivals) : IGradientEstimator
{
    /// <summary>Upper bound of the automatic size, so a diverging rate cannot exhaust memory.</summary>
    public const int MaxArrivals = 1 << 16;

    public string Name => "eat";
    public LatentFamily Family => LatentFamily.Poisson;

    public bool Relaxed => true;

    public int EvaluationsPerExample(int dims) => 1;

    public Tensor Surrogate(Tensor parameters, IObjective objective, Generator? generator)
    {
        int count = arrivals > 0 ? arrivals : ArrivalsFor(LargestRate(parameters), temperature);
        long[] shape = [.. parameters.shape, count];
        var gaps = Noise.Exponential(shape, parameters, generator);                  // [batch, dims, n]
        var times = (gaps / parameters.exp().unsqueeze(-1)).cumsum(-1);
        var relaxed = ((1 - times) / temperature).sigmoid().sum(-1);                 // [batch, dims]
        return objective.Evaluate(Family, relaxed);
    }

    /// <summary>
    /// Arrivals enough for every rate up to <paramref name="largestRate"/>: an arrival after t = 1 + 10 tau adds less
    /// than e^-10 to the relaxed count, and n exceeds the expected number of arrivals before that time,
    /// mu = lambda (1 + 10 tau), by six of its standard deviations plus six, so the n-th arrival comes too early
    /// only in a six-standard-deviation event.
    /// </summary>
    public static int ArrivalsFor(double largestRate, double temperature)
    {
        double expected = largestRate * (1 + 10 * temperature);
        double wanted = Math.Ceiling(expected + 6 * Math.Sqrt(expected) + 6);
        return double.IsFinite(wanted) ? (int)Math.Min(wanted, MaxArrivals) : MaxArrivals;
    }

    internal static double LargestRate(Tensor logRates)
    {
        using var _ = no_grad();
        return Math.Exp(logRates.max().to_type(ScalarType.Float64).item<double>());
    }
}

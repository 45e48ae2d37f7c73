using Pwgf.Estimators.Families;
using Pwgf.Estimators.Objectives;
using static TorchSharp.torch;

namespace Pwgf.Estimators.Pathwise;

/// <summary>
/// GenGS, the generalised Gumbel-softmax (Joo et al. 2020): truncate the Poisson to {0..n} plus one remainder class
/// (valued n + 1) holding the tail mass, draw a Gumbel-softmax over those n + 2 classes, and take the weighted count
/// sum_k k w_k as the relaxed sample. Pathwise through the class probabilities; biased (relaxation and truncation).
/// The relaxation alone moves the mean: for small lambda E[w_1] tends to lambda pi tau / sin(pi tau), which is why the
/// default temperature is low. With n left automatic (0), <see cref="TruncationFor"/> sizes the support from the
/// rates of each call.
/// </summary>
public sealed class GeneralizedGumbelSoftmax(double temperature, int truncation) : IGradientEstimator
{
    /// <summary>Upper bound of the automatic truncation, so a diverging rate cannot exhaust memory.</summary>
    public const int MaxTruncation = 1 << 14;

    public string Name => "gengs";
    public LatentFamily Family => LatentFamily.Poisson;

    public bool Relaxed => true;

    public int EvaluationsPerExample(int dims) => 1;

    public Tensor Surrogate(Tensor parameters, IObjective objective, Generator? generator)
    {
        int n = truncation > 0 ? truncation : TruncationFor(ExponentialArrivals.LargestRate(parameters));
        var counts = arange(n + 1, dtype: parameters.dtype, device: parameters.device);              // [n + 1]
        var logMass = parameters.unsqueeze(-1) * counts - parameters.exp().unsqueeze(-1) - (counts + 1).lgamma(); // [batch, dims, n + 1]
        var tail = (1 - logMass.exp().sum(-1, keepdim: true)).clamp_min(1e-30).log();                // [batch, dims, 1]
        var logits = cat([logMass, tail], -1);                                                       // [batch, dims, n + 2]
        var weights = ((logits + Noise.Gumbel(logits, generator)) / temperature).softmax(-1);
        var values = arange(n + 2, dtype: parameters.dtype, device: parameters.device);              // 0..n, n + 1
        return objective.Evaluate(Family, (weights * values).sum(-1));
    }

    /// <summary>
    /// Counts kept as their own classes for every rate up to <paramref name="largestRate"/>: lambda plus six standard
    /// deviations plus ten, so the remainder class holds a tail of a six-standard-deviation event.
    /// </summary>
    public static int TruncationFor(double largestRate)
    {
        double wanted = Math.Ceiling(largestRate + 6 * Math.Sqrt(largestRate) + 10);
        return double.IsFinite(wanted) ? (int)Math.Min(wanted, MaxTruncation) : MaxTruncation;
    }
}

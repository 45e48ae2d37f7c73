using static TorchSharp.torch;

namespace Pwgf.Estimators.Families;

internal sealed class PoissonFamily : LatentFamily
{
    /// <summary>Tail mass left out when a Poisson expectation is summed over a truncated support.</summary>
    public const double TailMass = 1e-12;

    public override LatentDistribution Distribution => LatentDistribution.Poisson;

    public override Tensor Mean(Tensor parameters) => parameters.exp();

    public override Tensor Sample(Tensor parameters, Generator? generator)
    {
        using var _ = no_grad();
        return poisson(parameters.exp(), generator);
    }

    public override Tensor LogProbability(Tensor sample, Tensor parameters) =>
        (sample * parameters - parameters.exp() - (sample + 1).lgamma()).sum(-1);

    public override Tensor ExpectPerCoordinate(Func<Tensor, Tensor> h, Tensor parameters)
    {
        double largestRate;
        using (no_grad())
        {
            largestRate = parameters.max().exp().item<double>();
        }
        var support = arange(SupportBound(largestRate) + 1, dtype: parameters.dtype, device: parameters.device); // [N+1]
        var logMass = parameters.unsqueeze(-1) * support - parameters.exp().unsqueeze(-1) - (support + 1).lgamma(); // [batch, dims, N+1]
        return (logMass.exp() * h(support)).sum(-1);
    }

    /// <summary>
    /// Largest count N such that P(Z > N) &lt; 1e-12 for every rate up to <paramref name="rate"/>, from the Chernoff
    /// bound P(Z &gt;= rate + x) &lt;= exp(-x^2 / (2 (rate + x))).
    /// </summary>
    public static long SupportBound(double rate)
    {
        double c = -2 * Math.Log(TailMass);
        double x = (c + Math.Sqrt(c * c + 4 * c * rate)) / 2;
        return (long)Math.Ceiling(rate + x) + 1;
    }
}

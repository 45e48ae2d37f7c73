using Pwgf.Estimators.Families;
using Pwgf.Estimators.Objectives;
using static TorchSharp.torch;

namespace Pwgf.Estimators.Pathwise;

/// <summary>
/// EAT, the exponential-arrival-times relaxation of a Poisson (Vafaii, Galor, Yates 2024, the Poisson VAE): a Poisson(lambda) count is the number of arrivals
/// of a rate-lambda process in [0, 1]. With arrival times t_k = cumsum(E_k / lambda), E_k ~ Exp(1), the relaxed
/// count sum_k sigmoid((1 - t_k) / tau) is differentiable in lambda; f is evaluated there (biased; exact as
/// tau -> 0 when the n arrivals cover the count, so n should exceed lambda by several standard deviations).
/// </summary>
public sealed class ExponentialArrivals(double temperature, int arrivals) : IGradientEstimator
{
    public string Name => "eat";
    public LatentFamily Family => LatentFamily.Poisson;

    public bool Relaxed => true;

    public int EvaluationsPerExample(int dims) => 1;

    public Tensor Surrogate(Tensor parameters, IObjective objective, Generator? generator)
    {
        long[] shape = [.. parameters.shape, arrivals];
        var gaps = Noise.Exponential(shape, parameters, generator);                  // [batch, dims, n]
        var times = (gaps / parameters.exp().unsqueeze(-1)).cumsum(-1);
        var relaxed = ((1 - times) / temperature).sigmoid().sum(-1);                 // [batch, dims]
        return objective.Evaluate(Family, relaxed);
    }
}

using Pwgf.Estimators.Families;
using Pwgf.Estimators.Objectives;
using TorchSharp;
using static TorchSharp.torch;

namespace Pwgf.Estimators.Pathwise;

/// <summary>
/// Straight-through EAT for Poisson latents, the Poisson VAE reference code's hard sampling (Vafaii, Galor and Yates
/// 2024): arrival times t_k = cumsum(E_k / lambda), E_k ~ Exp(1), give the exact count N = #{k : t_k &lt; 1} forward,
/// and the gradient of the relaxed count sum_k sigmoid((1 - t_k) / tau) of the same arrivals backward:
///     g_i = f'(N)_i * sum_k sigmoid'((1 - t_k) / tau) t_k / tau   (per log-rate).
/// f is evaluated at an exact Poisson sample, so the forward value estimates E f, but the gradient is biased. As in
/// the reference code, the number of arrivals is taken from the largest rate, here so that more than that many
/// arrivals before time 1 has probability below 1e-12.
/// </summary>
public sealed class StraightThroughArrivals(double temperature) : IGradientEstimator
{
    public string Name => "st-eat";
    public LatentFamily Family => LatentFamily.Poisson;
    public double Temperature => temperature;

    public int EvaluationsPerExample(int dims) => 1;

    public Tensor Surrogate(Tensor parameters, IObjective objective, Generator? generator)
    {
        var rate = parameters.exp();                                                           // [batch, dims]
        double largestRate;
        using (no_grad())
        {
            largestRate = rate.max().ToDouble();
        }
        long arrivals = PoissonFamily.SupportBound(largestRate);
        var gaps = Noise.Exponential([.. parameters.shape, arrivals], parameters, generator); // [batch, dims, n]
        var times = (gaps / rate.unsqueeze(-1)).cumsum(-1);
        var relaxed = ((1 - times) / temperature).sigmoid().sum(-1);                           // [batch, dims]
        var count = (times.detach() < 1).to_type(parameters.dtype).sum(-1);                  // exact Poisson counts
        return objective.Evaluate(Family, relaxed + (count - relaxed).detach());
    }
}

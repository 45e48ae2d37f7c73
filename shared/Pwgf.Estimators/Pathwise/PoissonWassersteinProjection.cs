using Pwgf.Estimators.Families;
using Pwgf.Estimators.Objectives;
using static TorchSharp.torch;

namespace Pwgf.Estimators.Pathwise;

/// <summary>
/// pwgf with the W2 projection for Poisson latents (docs/pwgf.md): particles move along -grad f, and the moved
/// (mean, std) is projected onto the Poisson curve (lambda, sqrt(lambda)), giving the per-sample gradient
/// g = f'(z) (z + lambda) / (2 lambda) with respect to lambda. It matches d/dlambda of the first two moments, so it
/// is exactly unbiased for every quadratic f. With <c>preconditioned</c> the step is also divided by the squared
/// length of the curve's tangent, 1 + 1 / (4 lambda), which turns the projected step into a step in lambda along
/// the curve. That is a metric preconditioner, not the natural gradient: in the log-rate the service optimises, the
/// natural-gradient step of this metric differs from it by a factor lambda^2.
/// </summary>
public sealed class PoissonWassersteinProjection(bool preconditioned) : IGradientEstimator
{
    public string Name => "pwgf";
    public LatentFamily Family => LatentFamily.Poisson;
    public bool Preconditioned => preconditioned;

    public int EvaluationsPerExample(int dims) => 1;

    public Tensor Surrogate(Tensor parameters, IObjective objective, Generator? generator)
    {
        var sample = Family.Sample(parameters, generator);    // [batch, dims]
        var rate = parameters.exp();                           // [batch, dims]
        var fixedRate = rate.detach();
        var slope = (sample + fixedRate) / (2 * fixedRate);   // dz/dlambda implied by the W2 projection
        if (preconditioned)
        {
            slope = slope / (1 + 1 / (4 * fixedRate));
        }
        return objective.Evaluate(Family, sample + (rate - fixedRate) * slope);
    }
}

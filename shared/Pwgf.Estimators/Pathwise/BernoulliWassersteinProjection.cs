using Pwgf.Estimators.Families;
using Pwgf.Estimators.Objectives;
using static TorchSharp.torch;

namespace Pwgf.Estimators.Pathwise;

/// <summary>
/// pwgf with the W2 projection for Bernoulli latents (docs/pwgf.md). The Bernoulli curve in the
/// (mean, std) plane is (p, sqrt(p (1 - p))); projecting the particle step onto it gives the per-sample gradient
/// f'(z) [z / (2p) + (1 - z) / (2 (1 - p))] with respect to p, that is f'(z) (1 - p) / 2 at z = 1 and f'(z) p / 2 at
/// z = 0 with respect to the logit. Its mean is (f'(0) + f'(1)) / 2, the trapezoidal rule for f(1) - f(0), so it is
/// exactly unbiased for quadratic f; per sample it equals ReinMax at temperature 1.
/// </summary>
public sealed class BernoulliWassersteinProjection : IGradientEstimator
{
    public string Name => "pwgf";
    public LatentFamily Family => LatentFamily.Bernoulli;

    public int EvaluationsPerExample(int dims) => 1;

    public Tensor Surrogate(Tensor parameters, IObjective objective, Generator? generator)
    {
        var sample = Family.Sample(parameters, generator);    // [batch, dims]
        Tensor slope;                                          // dz/dlogit implied by the projection
        using (no_grad())
        {
            var p = parameters.sigmoid();
            slope = (sample * (1 - p) + (1 - sample) * p) / 2;
        }
        return objective.Evaluate(Family, sample + (parameters - parameters.detach()) * slope);
    }
}

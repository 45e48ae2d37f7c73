using Pwgf.Estimators.Families;
using Pwgf.Estimators.Objectives;
using static TorchSharp.torch;

namespace Pwgf.Estimators.ScoreFunction;

/// <summary>
/// MuProp (Gu, Levine, Sutskever and Mnih 2016): REINFORCE with the first-order Taylor expansion of f around the
/// mean mu = E[z] as control variate, h(z) = f(mu) + f'(mu) . (z - mu), and its expectation's gradient added back
/// analytically (E[h] = f(mu), whose gradient is f'(mu) . d mu / d theta with mu held in f'):
///     g = (f(z) - h(z)) d log p(z) / d theta + f'(mu) . d mu / d theta.
/// Unbiased for any f; needs f at the mean (a relaxed point) and its gradient there, through the frozen view so the
/// model's own weights only see f(z). This is the paper's estimator with unit weights on both Taylor terms; the REBAR
/// authors' reimplementation also learns scales for them and adds NVIL's baseline.
/// </summary>
public sealed class TaylorControlVariate(LatentFamily family) : IGradientEstimator
{
    public string Name => "muprop";
    public LatentFamily Family => family;

    public int EvaluationsPerExample(int dims) => 2;

    public Tensor Surrogate(Tensor parameters, IObjective objective, Generator? generator)
    {
        var sample = family.Sample(parameters, generator);                        // [batch, dims(, K)]
        var value = objective.Evaluate(family, sample);                          // f(z), [batch]
        var mean = family.Mean(parameters);                                      // mu, differentiable

        var anchor = mean.detach().requires_grad_(true);
        var atMean = objective.Frozen().Evaluate(family, anchor);                // f(mu), [batch]
        var slope = autograd.grad([atMean.sum()], [anchor])[0];                   // f'(mu), one row per example
        var taylor = atMean.detach() + (slope * (sample - anchor.detach())).flatten(1).sum(-1);

        var logProbability = family.LogProbability(sample, parameters);
        return value
               + (value.detach() - taylor) * (logProbability - logProbability.detach())
               + (slope * (mean - mean.detach())).flatten(1).sum(-1);
    }
}

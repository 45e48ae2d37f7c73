using Pwgf.Estimators.Families;
using Pwgf.Estimators.Objectives;
using static TorchSharp.torch;

namespace Pwgf.Estimators.ScoreFunction;

/// <summary>
/// REINFORCE (the score-function or likelihood-ratio estimator, Williams 1992): f(z) times the gradient of
/// log p(z). Unbiased for any f, needs only f's values, and usually has the largest variance of all.
/// </summary>
public sealed class Reinforce(LatentFamily family) : IGradientEstimator
{
    public string Name => "reinforce";
    public LatentFamily Family => family;

    public int EvaluationsPerExample(int dims) => 1;

    public Tensor Surrogate(Tensor parameters, IObjective objective, Generator? generator)
    {
        var sample = family.Sample(parameters, generator);
        var value = objective.Evaluate(family, sample);                  // [batch]
        return ScoreSurrogate.Surrogate(value, zeros_like(value), family.LogProbability(sample, parameters));
    }
}

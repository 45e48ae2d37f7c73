using Pwgf.Estimators.Families;
using Pwgf.Estimators.Objectives;
using static TorchSharp.torch;

namespace Pwgf.Estimators.Exact;

/// <summary>
/// The exact gradient, as a reference curve: the surrogate is the objective's exact expectation, so autograd
/// differentiates the closed form or support sum directly. Only objectives that know their expectation qualify.
/// </summary>
public sealed class ExactGradient(LatentFamily family) : IGradientEstimator
{
    public string Name => "exact";
    public LatentFamily Family => family;

    public int EvaluationsPerExample(int dims) => 0;

    public Tensor Surrogate(Tensor parameters, IObjective objective, Generator? generator) =>
        objective is IExactObjective exact
            ? exact.Expectation(family, parameters)
            : throw new NotSupportedException("The exact estimator needs an objective with a known expectation.");
}

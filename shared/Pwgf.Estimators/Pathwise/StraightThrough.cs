using Pwgf.Estimators.Families;
using Pwgf.Estimators.Objectives;
using static TorchSharp.torch;

namespace Pwgf.Estimators.Pathwise;

/// <summary>
/// Straight-through: f is evaluated at an exact sample and the backward pass treats the sample as if it were its
/// mean (dz/dp := 1, dz/dpi := I, dz/dlambda := 1). In the pWGF view this is the mean-matching projection: move the
/// particles along -grad f, then pick the family member with the moved particles' mean.
/// </summary>
public sealed class StraightThrough(LatentFamily family, string name = "st") : IGradientEstimator
{
    public string Name => name;
    public LatentFamily Family => family;

    public int EvaluationsPerExample(int dims) => 1;

    public Tensor Surrogate(Tensor parameters, IObjective objective, Generator? generator)
    {
        var sample = family.Sample(parameters, generator);   // [batch, dims(, K)]
        var mean = family.Mean(parameters);                  // same shape
        return objective.Evaluate(family, sample + (mean - mean.detach()));
    }
}

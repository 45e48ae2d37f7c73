using Pwgf.Estimators.Families;
using Pwgf.Estimators.Objectives;
using static TorchSharp.torch;

namespace Pwgf.UnitTests.Support;

/// <summary>
/// Passes evaluations through and keeps the values f was evaluated at, so a test can recompute an estimate from the
/// sample the estimator drew (a straight-through input's value is the exact sample itself).
/// </summary>
public sealed class RecordingObjective(IObjective inner) : IObjective
{
    public double[] Inputs { get; private set; } = [];

    public Tensor Evaluate(LatentFamily family, Tensor sample)
    {
        Inputs = [.. sample.detach().to_type(ScalarType.Float64).flatten().data<double>()];
        return inner.Evaluate(family, sample);
    }
}

using Pwgf.Estimators.Families;
using Pwgf.Estimators.Objectives;
using static TorchSharp.torch;

namespace Pwgf.UnitTests.Support;

/// <summary>Wraps an objective and counts the rows (examples) it is evaluated on, to check estimator costs.</summary>
public sealed class CountingObjective(IExactObjective inner) : IExactObjective
{
    public long Rows { get; private set; }

    public Tensor Evaluate(LatentFamily family, Tensor sample)
    {
        var value = inner.Evaluate(family, sample);
        Rows += value.shape[0];
        return value;
    }

    public Tensor Expectation(LatentFamily family, Tensor parameters) => inner.Expectation(family, parameters);
}

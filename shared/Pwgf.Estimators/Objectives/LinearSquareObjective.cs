using Pwgf.Estimators.Families;
using static TorchSharp.torch;

namespace Pwgf.Estimators.Objectives;

/// <summary>
/// f(z) = (sum_i w_i v(z_i) - target)^2: couples the coordinates, so its expectation comes from the first two
/// moments instead of a per-coordinate sum: E f = sum_i w_i^2 Var v(z_i) + (sum_i w_i E v(z_i) - target)^2
/// (coordinates are independent). Exact and differentiable in the parameters.
/// </summary>
public sealed class LinearSquareObjective : IExactObjective
{
    private readonly double[] _weights;

    public LinearSquareObjective(IReadOnlyList<double> weights, double target)
    {
        _weights = [.. weights];
        Target = target;
    }

    public IReadOnlyList<double> Weights => _weights;
    public double Target { get; }

    public Tensor Evaluate(LatentFamily family, Tensor sample)
    {
        var value = family.CoordinateValue(sample);                          // [batch, dims]
        return ((value * WeightsLike(value)).sum(-1) - Target).square();     // [batch]
    }

    public Tensor Expectation(LatentFamily family, Tensor parameters)
    {
        var mean = family.ExpectPerCoordinate(v => v, parameters);                 // [batch, dims]
        var variance = family.ExpectPerCoordinate(v => v.square(), parameters) - mean.square();
        var weights = WeightsLike(mean);
        return (weights.square() * variance).sum(-1) + ((weights * mean).sum(-1) - Target).square();
    }

    private Tensor WeightsLike(Tensor like) => tensor(_weights, dtype: like.dtype, device: like.device);
}

using Pwgf.Estimators.Families;
using static TorchSharp.torch;

namespace Pwgf.Estimators.Objectives;

/// <summary>How per-coordinate terms are combined into f.</summary>
public enum Reduction
{
    Mean,
    Sum,
}

/// <summary>
/// f(z) = reduce_i |v(z_i) - target|^power, separable over coordinates, so its expectation is a per-coordinate sum
/// over the support. Powers below 1 are refused: their derivative is unbounded where v(z_i) = target.
/// </summary>
public sealed class PowerObjective : IExactObjective
{
    public PowerObjective(double target, double power, Reduction reduction)
    {
        if (power < 1) throw new ArgumentOutOfRangeException(nameof(power), power, "The power must be at least 1.");
        Target = target;
        Power = power;
        Reduction = reduction;
    }

    public double Target { get; }
    public double Power { get; }
    public Reduction Reduction { get; }

    public Tensor Evaluate(LatentFamily family, Tensor sample) => Reduce(Term(family.CoordinateValue(sample)));

    public Tensor Expectation(LatentFamily family, Tensor parameters) =>
        Reduce(family.ExpectPerCoordinate(Term, parameters));

    private Tensor Term(Tensor value) => Power == 2 ? (value - Target).square() : (value - Target).abs().pow(Power);

    private Tensor Reduce(Tensor terms) => Reduction == Reduction.Mean ? terms.mean(new long[] { -1 }) : terms.sum(-1);
}

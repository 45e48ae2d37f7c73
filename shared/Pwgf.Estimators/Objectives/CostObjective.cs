using Pwgf.Estimators.Families;
using static TorchSharp.torch;

namespace Pwgf.Estimators.Objectives;

/// <summary>
/// f(z) = reduce_i c[v(z_i)] for a categorical latent: a fixed cost per class, the same for every coordinate.
/// Linear in the one-hot sample, so a relaxed sample y costs sum_k c_k y_k.
/// </summary>
public sealed class CostObjective : IExactObjective
{
    private readonly double[] _costs;

    public CostObjective(IReadOnlyList<double> costs, Reduction reduction)
    {
        _costs = [.. costs];
        Reduction = reduction;
    }

    public IReadOnlyList<double> Costs => _costs;
    public Reduction Reduction { get; }

    public Tensor Evaluate(LatentFamily family, Tensor sample)
    {
        if (family.Distribution != LatentDistribution.Categorical)
            throw new ArgumentException("A cost per class needs categorical latents.", nameof(family));
        return Reduce((sample * CostsLike(sample)).sum(-1));       // [batch, dims] -> [batch]
    }

    public Tensor Expectation(LatentFamily family, Tensor parameters) =>
        Reduce((family.Mean(parameters) * CostsLike(parameters)).sum(-1));

    private Tensor CostsLike(Tensor like) => tensor(_costs, dtype: like.dtype, device: like.device);

    private Tensor Reduce(Tensor terms) => Reduction == Reduction.Mean ? terms.mean([-1]) : terms.sum(-1);
}

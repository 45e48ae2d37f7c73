using static TorchSharp.torch;

namespace Pwgf.Estimators.Families;

internal sealed class BernoulliFamily : LatentFamily
{
    public override LatentDistribution Distribution => LatentDistribution.Bernoulli;

    public override Tensor Mean(Tensor parameters) => parameters.sigmoid();

    public override Tensor Sample(Tensor parameters, Generator? generator)
    {
        // z = 1 exactly when u < p, u ~ U(0, 1): the same law as bernoulli(p), drawn through libtorch's uniform kernel,
        // which is cheaper on the CPU than its per-element Bernoulli draw (docs/performance.md).
        using var _ = no_grad();
        using var p = parameters.sigmoid();
        return rand(parameters.shape, dtype: parameters.dtype, device: parameters.device, generator: generator).lt_(p);
    }

    public override Tensor LogProbability(Tensor sample, Tensor parameters) =>
        // log p(z) = z log sigmoid(phi) + (1 - z) log sigmoid(-phi) = -softplus(-(2z - 1) phi), stable for large |phi|
        -nn.functional.softplus(-(2 * sample - 1) * parameters).sum(-1);

    public override Tensor ExpectPerCoordinate(Func<Tensor, Tensor> h, Tensor parameters)
    {
        var p = parameters.sigmoid();
        return p * h(ones_like(p)) + (1 - p) * h(zeros_like(p));
    }
}

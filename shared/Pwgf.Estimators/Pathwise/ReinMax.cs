using Pwgf.Estimators.Families;
using Pwgf.Estimators.Objectives;
using static TorchSharp.torch;

namespace Pwgf.Estimators.Pathwise;

/// <summary>
/// ReinMax (Liu, Dong, Liu, Yu and Gao 2023): a second-order (Heun-method) correction of straight-through. With the hard sample D,
/// pi = softmax(theta) and pi1 = (softmax(theta / tau) + D) / 2, the backward pass is
/// 2 J(pi1)^T g - 1/2 J(pi)^T g, where J(q) = diag(q) - q q^T and g = grad_D f. At tau = 1 it is exactly unbiased
/// for quadratic f. A Bernoulli latent is the two-class categorical with logits (0, phi).
/// </summary>
public sealed class ReinMax(LatentFamily family, double temperature) : IGradientEstimator
{
    public string Name => "reinmax";
    public LatentFamily Family => family;

    public int EvaluationsPerExample(int dims) => 1;

    public Tensor Surrogate(Tensor parameters, IObjective objective, Generator? generator)
    {
        if (family.Distribution == LatentDistribution.Categorical)
        {
            var hard = family.Sample(parameters, generator);                  // [batch, dims, K]
            return objective.Evaluate(family, Corrected(parameters, hard));
        }

        var bit = family.Sample(parameters, generator);                       // [batch, dims]
        var logits = stack([zeros_like(parameters), parameters], -1);         // [batch, dims, 2]
        var twoClass = stack([1 - bit, bit], -1);
        return objective.Evaluate(family, Corrected(logits, twoClass).select(-1, 1));
    }

    /// <summary>D forward; 2 J(pi1)^T - 1/2 J(pi)^T backward.</summary>
    private Tensor Corrected(Tensor logits, Tensor hard)
    {
        var pi = logits.softmax(-1);
        Tensor anchor;
        using (no_grad())
        {
            var target = (hard + (logits / temperature).softmax(-1)) / 2;     // pi1's value
            anchor = target.clamp_min(1e-30).log() - logits;                  // softmax(logits + anchor) = pi1
        }
        var pi1 = (logits + anchor).softmax(-1);
        var combined = 2 * pi1 - 0.5 * pi;
        return hard + (combined - combined.detach());
    }
}

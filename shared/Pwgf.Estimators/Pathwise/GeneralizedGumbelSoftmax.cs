using Pwgf.Estimators.Families;
using Pwgf.Estimators.Objectives;
using static TorchSharp.torch;

namespace Pwgf.Estimators.Pathwise;

/// <summary>
/// GenGS, the generalised Gumbel-softmax (Joo et al. 2020): truncate the Poisson to {0..n} plus one remainder class
/// (valued n + 1) holding the tail mass, draw a Gumbel-softmax over those n + 2 classes, and take the weighted count
/// sum_k k w_k as the relaxed sample. Pathwise through the class probabilities; biased (relaxation and truncation).
/// </summary>
public sealed class GeneralizedGumbelSoftmax(double temperature, int truncation) : IGradientEstimator
{
    public string Name => "gengs";
    public LatentFamily Family => LatentFamily.Poisson;

    public bool Relaxed => true;

    public int EvaluationsPerExample(int dims) => 1;

    public Tensor Surrogate(Tensor parameters, IObjective objective, Generator? generator)
    {
        var counts = arange(truncation + 1, dtype: parameters.dtype, device: parameters.device);      // [n + 1]
        var logMass = parameters.unsqueeze(-1) * counts - parameters.exp().unsqueeze(-1) - (counts + 1).lgamma(); // [batch, dims, n + 1]
        var tail = (1 - logMass.exp().sum(-1, keepdim: true)).clamp_min(1e-30).log();                // [batch, dims, 1]
        var logits = cat([logMass, tail], -1);                                                       // [batch, dims, n + 2]
        var weights = ((logits + Noise.Gumbel(logits, generator)) / temperature).softmax(-1);
        var values = arange(truncation + 2, dtype: parameters.dtype, device: parameters.device);     // 0..n, n + 1
        return objective.Evaluate(Family, (weights * values).sum(-1));
    }
}

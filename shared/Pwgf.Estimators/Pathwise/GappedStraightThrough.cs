using Pwgf.Estimators.Families;
using Pwgf.Estimators.Objectives;
using static TorchSharp.torch;

namespace Pwgf.Estimators.Pathwise;

/// <summary>
/// Gapped straight-through (after Fan, Chi, Rudnicky and Ramadge 2022): like ST-Gumbel-softmax, but the random Gumbel perturbation is
/// replaced by a deterministic one. The sampled class D's logit is raised, where needed, until it leads every other
/// logit by the gap kappa; the backward pass uses the Jacobian of softmax at these gapped logits. Our working
/// definition: m = theta + onehot(D) * max(0, max_{j != D} theta_j + kappa - theta_D), the shift held constant.
/// </summary>
public sealed class GappedStraightThrough(double gap) : IGradientEstimator
{
    public string Name => "gst";
    public LatentFamily Family => LatentFamily.Categorical;

    public int EvaluationsPerExample(int dims) => 1;

    public Tensor Surrogate(Tensor parameters, IObjective objective, Generator? generator)
    {
        var hard = Family.Sample(parameters, generator);                                // [batch, dims, K]
        Tensor shift;
        using (no_grad())
        {
            var logits = parameters.detach();
            var chosen = (logits * hard).sum(-1, keepdim: true);                       // [batch, dims, 1]
            var bestOther = (logits - hard * 1e30).max(-1, keepdim: true).values;      // [batch, dims, 1]
            shift = hard * (bestOther + gap - chosen).clamp_min(0);
        }
        var gapped = (parameters + shift).softmax(-1);
        return objective.Evaluate(Family, hard + (gapped - gapped.detach()));
    }
}

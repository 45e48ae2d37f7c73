using Pwgf.Estimators.Families;
using Pwgf.Estimators.Objectives;
using static TorchSharp.torch;

namespace Pwgf.Estimators.Pathwise;

/// <summary>
/// Gapped straight-through (Fan, Chi, Rudnicky, Ramadge, ICML 2022), as the authors' reference code defines it
/// (github.com/chijames/GST, gst_mover). Forward: an exact sample D. Backward: the Jacobian of
/// softmax(m / temperature) at deterministically moved logits m = theta + shift, the shift held constant:
/// the sampled class's logit is moved to the largest logit, and every other logit is lowered to at most
/// (largest - gap). This keeps the two properties of ST-Gumbel-softmax's perturbed logits the paper names (the
/// sampled class on top, the others at least a gap below) without drawing any noise.
/// gst-p chooses the gap per sample as -log(1 - pi_D) / pi_D, pi_D the probability of the sampled class.
/// </summary>
public sealed class GappedStraightThrough(double gap, double temperature, bool adaptiveGap) : IGradientEstimator
{
    /// <summary>
    /// The reference code shrinks pi_D by this factor before the adaptive gap, so a certain class (pi_D = 1) gets a
    /// large finite gap instead of an infinite one.
    /// </summary>
    private const double CertaintyShrink = 1 - 1e-5;

    public string Name => adaptiveGap ? "gst-p" : "gst";
    public LatentFamily Family => LatentFamily.Categorical;

    public int EvaluationsPerExample(int dims) => 1;

    public Tensor Surrogate(Tensor parameters, IObjective objective, Generator? generator)
    {
        var hard = Family.Sample(parameters, generator);                                  // [batch, dims, K]
        Tensor shift;
        using (no_grad())
        {
            var logits = parameters.detach();
            var largest = logits.max(-1, keepdim: true).values;                           // [batch, dims, 1]
            var lowered = minimum(logits, largest - Gap(logits, hard));                  // others: at most largest - gap
            shift = hard * largest + (1 - hard) * lowered - logits;
        }
        var moved = ((parameters + shift) / temperature).softmax(-1);
        return objective.Evaluate(Family, hard + (moved - moved.detach()));
    }

    private Tensor Gap(Tensor logits, Tensor hard)
    {
        if (!adaptiveGap) return tensor(gap, dtype: logits.dtype, device: logits.device);
        // -log(1 - p) / p tends to 1 as p -> 0; the floor only keeps 0/0 away from a probability that underflowed.
        var chosen = ((logits.softmax(-1) * hard).sum(-1, keepdim: true) * CertaintyShrink).clamp_min(1e-12); // [batch, dims, 1]
        return -(-chosen).log1p() / chosen;
    }
}

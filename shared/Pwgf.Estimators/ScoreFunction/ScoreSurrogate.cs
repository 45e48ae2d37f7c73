using static TorchSharp.torch;

namespace Pwgf.Estimators.ScoreFunction;

/// <summary>Shared arithmetic of the score-function (REINFORCE) family.</summary>
internal static class ScoreSurrogate
{
    /// <summary>
    /// value + (value - baseline) * (log p - stop_gradient(log p)): its forward value is f itself, its gradient with
    /// respect to the distribution parameters is (f - baseline) * score, and any parameters inside f (a decoder)
    /// still receive their pathwise gradient through the first term.
    /// </summary>
    public static Tensor Surrogate(Tensor value, Tensor baseline, Tensor logProbability) =>
        value + (value - baseline).detach() * (logProbability - logProbability.detach());
}

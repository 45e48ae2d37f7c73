using Pwgf.Estimators.Families;
using Pwgf.Estimators.Objectives;
using static TorchSharp.torch;

namespace Pwgf.Estimators;

/// <summary>
/// One gradient estimator for one discrete family. The single entry point returns a per-example surrogate whose
/// forward value is the objective at what the estimator evaluated and whose gradient with respect to the
/// parameters is the estimator's gradient. The same call therefore serves both uses:
/// <list type="bullet">
/// <item>per-sample estimates: pass a leaf [samples, dims] parameter tensor and backpropagate surrogate.sum();</item>
/// <item>model training: the parameters come out of an encoder, and surrogate.mean().backward() pushes the estimate
/// into its weights while any weights inside the objective (a decoder) get their exact autodiff gradient.</item>
/// </list>
/// </summary>
public interface IGradientEstimator
{
    /// <summary>The registry name, for example "st" or "reinforce-loo".</summary>
    string Name { get; }

    LatentFamily Family { get; }

    /// <summary>Evaluations of f per example (0 for the exact reference, which sums over the support).</summary>
    int EvaluationsPerExample(int dims);

    /// <summary>
    /// Evaluations of f per example when each of the <paramref name="dims"/> coordinates has <paramref name="classes"/>
    /// classes (1 for Bernoulli and Poisson). The same as the one-argument form unless the cost grows with the number
    /// of classes, as a sum over every class of every coordinate does.
    /// </summary>
    int EvaluationsPerExample(int dims, int classes) => EvaluationsPerExample(dims);

    /// <summary>[batch, dims(, K)] parameters -> [batch] surrogate.</summary>
    Tensor Surrogate(Tensor parameters, IObjective objective, Generator? generator);

    /// <summary>
    /// True when the surrogate's value is f at relaxed, non-discrete points (Gumbel-softmax, EAT, GenGS), so it
    /// does not estimate E[f]; a trainer that reports E[f] must then evaluate f at an exact sample itself.
    /// </summary>
    bool Relaxed => false;
}

using Pwgf.Estimators.Families;
using static TorchSharp.torch;

namespace Pwgf.Estimators.Objectives;

/// <summary>
/// The f(z) = -log p(x | z) of a latent-variable model that can also give a sample's whole log importance weight
/// log w = log p(x | z) + log p(z) - log q(z | x), which multi-sample bounds such as VIMCO's train. Only a model with
/// data x and a prior p(z) has one (the VAE tasks); the toy objectives and the diagnostics endpoint's do not.
/// </summary>
public interface IImportanceWeightedObjective : IObjective
{
    /// <summary>
    /// Exact samples [n, dims(, K)] and the parameters of q they were drawn from (same shape) -> log w per row [n],
    /// rows stacked sample-major as in <see cref="IObjective.Evaluate"/>. Differentiable in the parameters (through
    /// log q) and in the model's own weights (decoder and prior).
    /// </summary>
    Tensor LogWeight(LatentFamily family, Tensor sample, Tensor parameters);
}

using Pwgf.Estimators.Families;
using Pwgf.Estimators.Objectives;
using static TorchSharp.torch;

namespace Pwgf.Training.Vae;

/// <summary>
/// The VAE's f for a minibatch: f(z) = -log p(x | z) through the decoder. Estimators that evaluate several points
/// per example stack them sample-major, so row r belongs to image r mod batch. The frozen view sends gradient to z
/// only, never into the decoder's weights. Its importance weights log p(x | z) + log p(z) - log q(z | x) serve the
/// estimators that train a multi-sample bound (VIMCO).
/// </summary>
internal sealed class DecoderObjective(VaeModel model, Tensor images, bool frozen = false) : IImportanceWeightedObjective
{
    public Tensor Evaluate(LatentFamily family, Tensor sample)
    {
        long batch = images.shape[0], rows = sample.shape[0];
        if (rows % batch != 0) throw new ArgumentException($"{rows} latent rows do not pair with {batch} images.", nameof(sample));
        var paired = rows == batch ? images : images.repeat(rows / batch, 1);
        return model.ReconstructionLoss(sample, paired, frozen);
    }

    public Tensor LogWeight(LatentFamily family, Tensor sample, Tensor parameters) =>
        model.LogPrior(sample) - Evaluate(family, sample) - family.LogProbability(sample, parameters);

    public IObjective Frozen() => frozen ? this : new DecoderObjective(model, images, frozen: true);

    /// <summary>The images the latent parameters were encoded from, for input-dependent baselines (NVIL).</summary>
    public Tensor? Context => images;
}

using Pwgf.Estimators.Families;

namespace Pwgf.Training.Vae;

/// <summary>
/// A variational autoencoder of binarised images with one discrete latent layer: its family, network shape, data
/// and evaluation sizes, read from a run's resolved task options.
/// </summary>
public sealed record VaeProblem(
    LatentFamily Family,
    string Dataset,
    int LatentDims,
    int Classes,
    IReadOnlyList<int> EncoderHidden,
    IReadOnlyList<int> DecoderHidden,
    Activation Activation,
    bool LearnedPrior,
    int BatchSize,
    int TrainSubset,
    int ImportanceSamples,
    int EvalImages)
{
    /// <summary>Width of the latent layer as the decoder sees it: dims, or dims x classes one-hot values.</summary>
    public int LatentWidth => Family.Distribution == LatentDistribution.Categorical ? LatentDims * Classes : LatentDims;

    /// <summary>The shape of one example's latent parameters: [dims] or [dims, classes].</summary>
    public long[] LatentShape => Family.Distribution == LatentDistribution.Categorical ? [LatentDims, Classes] : [LatentDims];

    /// <summary>DisARM's Bernoulli VAE: linear (784-D / D-784) or nonlinear (two hidden layers of 200, LeakyReLU 0.3); learned prior.</summary>
    public static VaeProblem Bernoulli(RunConfiguration run) => Common(run, LatentFamily.Bernoulli, classes: 0,
        hidden: run.Choice("architecture") == "nonlinear" ? [200, 200] : [], Activation.LeakyReLU, learnedPrior: true);

    /// <summary>The Gumbel-softmax paper's categorical VAE: encoder 784-512-256-(D x K), decoder mirrored, ReLU; uniform prior.</summary>
    public static VaeProblem Categorical(RunConfiguration run) => Common(run, LatentFamily.Categorical, run.Integer("classes"),
        hidden: [512, 256], Activation.ReLU, learnedPrior: false);

    /// <summary>Poisson latents with a learned Poisson prior and a Bernoulli decoder; linear or nonlinear like the Bernoulli VAE.</summary>
    public static VaeProblem Poisson(RunConfiguration run) => Common(run, LatentFamily.Poisson, classes: 0,
        hidden: run.Choice("architecture") == "nonlinear" ? [200, 200] : [], Activation.LeakyReLU, learnedPrior: true);

    private static VaeProblem Common(RunConfiguration run, LatentFamily family, int classes, int[] hidden, Activation activation, bool learnedPrior) => new(
        family,
        run.Choice("dataset"),
        run.Integer("latentDims"),
        classes,
        hidden,
        [.. hidden.Reverse()],
        activation,
        learnedPrior,
        run.Integer("batchSize"),
        run.Integer("trainSubset"),
        run.Integer("importanceSamples"),
        run.Integer("evalImages"));
}

using Pwgf.Estimators.Families;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pwgf.Training.Vae;

/// <summary>
/// Encoder q(z | x), decoder p(x | z) (independent Bernoulli pixels) and prior p(z) of a discrete-latent VAE.
/// The encoder outputs the family's unconstrained parameters: logits, or log-rates bounded softly to (-5, 5) so
/// that a Poisson rate stays below e^5 whatever the weights do.
/// </summary>
public sealed class VaeModel : IDisposable
{
    private const double LogRateBound = 5;

    private readonly VaeProblem _problem;
    private readonly Tensor _prior;                 // [dims] logits or log-rates, or [dims, K] logits
    private readonly Parameter? _learnedPrior;

    public VaeModel(VaeProblem problem, int pixels, Tensor meanImage, Generator generator, Device device)
    {
        _problem = problem;
        Encoder = new Mlp([pixels, .. problem.EncoderHidden, problem.LatentWidth], problem.Activation, generator, device);
        Decoder = new Mlp([problem.LatentWidth, .. problem.DecoderHidden, pixels], problem.Activation, generator, device);
        using (no_grad())
        {
            // The decoder starts out predicting the average training image (as in the DisARM and REBAR code).
            var mean = meanImage.clamp(1e-3, 1 - 1e-3);
            Decoder.OutputBias.copy_((mean / (1 - mean)).log());
        }
        var prior = zeros(problem.LatentShape, device: device);
        if (problem.LearnedPrior)
        {
            _learnedPrior = new Parameter(prior);
            _prior = _learnedPrior;
        }
        else
        {
            _prior = prior;                          // uniform categorical prior
        }
    }

    public Mlp Encoder { get; }
    public Mlp Decoder { get; }
    public LatentFamily Family => _problem.Family;

    /// <summary>Everything the optimiser trains: encoder, decoder and (when learned) prior.</summary>
    public IEnumerable<Parameter> Parameters =>
        Encoder.Parameters.Concat(Decoder.Parameters).Concat(_learnedPrior is null ? [] : [_learnedPrior]);

    /// <summary>Images [n, pixels] in {0, 1} -> latent parameters [n, dims] or [n, dims, K].</summary>
    public Tensor Encode(Tensor images)
    {
        var output = Encoder.Forward(images);
        return Family.Distribution switch
        {
            LatentDistribution.Categorical => output.reshape(images.shape[0], _problem.LatentDims, _problem.Classes),
            LatentDistribution.Poisson => (output / LogRateBound).tanh() * LogRateBound,
            _ => output,
        };
    }

    /// <summary>-log p(x | z) per row: latents [n, dims(, K)] (exact or relaxed), images [n, pixels] -> [n].</summary>
    public Tensor ReconstructionLoss(Tensor latents, Tensor images, bool frozen = false)
    {
        var logits = Decoder.Forward(latents.reshape(latents.shape[0], _problem.LatentWidth), frozen);
        return nn.functional.binary_cross_entropy_with_logits(logits, images, reduction: nn.Reduction.None).sum(-1);
    }

    /// <summary>log p(z) per row of exact samples [n, dims(, K)] -> [n].</summary>
    public Tensor LogPrior(Tensor latents) => Family.LogProbability(latents, _prior.expand(latents.shape));

    /// <summary>KL(q(z | x) || p(z)) in closed form, per row of latent parameters -> [n]; differentiable in both.</summary>
    public Tensor KullbackLeibler(Tensor parameters)
    {
        var prior = _prior.expand(parameters.shape);
        switch (Family.Distribution)
        {
            case LatentDistribution.Bernoulli:
                // With logits l (q) and m (prior): log q = l - softplus(l) and log(1 - q) = -softplus(l), so the
                // KL q (log q - log r) + (1 - q)(log(1 - q) - log(1 - r)) is q (l - m) - softplus(l) + softplus(m):
                // five kernels forward instead of a dozen. The prior broadcasts over the batch unexpanded.
                return (parameters.sigmoid() * (parameters - _prior) - nn.functional.softplus(parameters)
                        + nn.functional.softplus(_prior)).sum(-1);
            case LatentDistribution.Categorical:
                var logQ = parameters.log_softmax(-1);
                return (logQ.exp() * (logQ - prior.log_softmax(-1))).sum([-2, -1]);
            default:
                var rate = parameters.exp();
                return (rate * (parameters - prior) - rate + prior.exp()).sum(-1);
        }
    }

    public void Dispose()
    {
        Encoder.Dispose();
        Decoder.Dispose();
        _prior.Dispose();
    }
}

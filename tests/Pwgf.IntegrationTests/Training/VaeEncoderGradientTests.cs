using Pwgf.Estimators;
using Pwgf.Estimators.Families;
using Pwgf.Estimators.Objectives;
using Pwgf.Training;
using Pwgf.Training.Data;
using Pwgf.Training.Vae;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Pwgf.IntegrationTests.Training;

/// <summary>
/// The encoder gradient a VAE session trains with, against the exact gradient on a VAE small enough to enumerate.
/// A falling bound does not show that an estimator works: the decoder and the KL term get exact gradients, so the
/// bound falls even when the encoder gets none. Here the estimator's encoder gradient of E_q[-log p(x | z)] is
/// measured through the session's own step code (<see cref="VaeSession.Estimate"/>) and compared with the same
/// gradient computed by summing q(z | x) f(z) over every z, with log q written out in this file. An estimator that
/// trains the K-sample bound instead (vimco) is compared with the gradient of -E[L_K], summed over every K-tuple of z.
/// </summary>
public sealed class VaeEncoderGradientTests(ITestOutputHelper output)
{
    /// <summary>
    /// The estimators that must be unbiased: their mean gradient must match the exact one. Named here, not read from
    /// the registry's Unbiased flag, so that flipping the flag cannot excuse an estimator from the check.
    /// </summary>
    private static readonly HashSet<string> Unbiased = ["reinforce", "reinforce-loo", "nvil", "arm", "disarm", "rebar", "relax", "exact-diff", "vimco"];

    /// <summary>
    /// Estimators that train the K-sample bound L_K instead of the ELBO, whose reference is the gradient of -E[L_K].
    /// Named here, like <see cref="Unbiased"/>, rather than read from the registry.
    /// </summary>
    private static readonly HashSet<string> BoundTrainers = ["vimco"];

    /// <summary>
    /// Score-function estimators that are plain REINFORCE before any tuning step: NVIL's baseline network and running
    /// mean start at zero, and this check takes no tuning step.
    /// </summary>
    private static readonly HashSet<string> UntunedReinforce = ["reinforce", "nvil"];

    /// <summary>
    /// Every estimator: the gain less three standard errors is at least this, so an estimate that points elsewhere, or
    /// is too noisy to tell from zero, fails instead of passing.
    /// </summary>
    private const double MinimumGain = 0.5;

    /// <summary>
    /// Unbiased estimators: the gain is 1 within four standard errors (with 16 or more groups, |t| > 4 happens about
    /// once in a thousand) plus this slack for float32 arithmetic and the truncated Poisson sum.
    /// </summary>
    private const double UnbiasedGainSlack = 0.02;

    /// <summary>Biased estimators (relaxations, straight-through) may shrink or stretch the gradient; its direction is held.</summary>
    private const double BiasedMinimumCosine = 0.9;

    private const int Images = 4;

    /// <summary>Poisson counts above this are left out of the enumeration (their mass is checked to be negligible).</summary>
    private const int PoissonTruncation = 24;

    private static readonly DatasetCatalog Datasets = new(new DatasetOptions());

    /// <summary>
    /// Every VAE task with every estimator it accepts, but plain REINFORCE (and NVIL, which is REINFORCE before it has
    /// tuned its baseline) on the categorical VAE: without a baseline
    /// its estimate (f, several hundred nats, times the score) is so noisy there that telling it from zero takes far
    /// more samples than a test affords. Its path is the score-function surrogate that reinforce-loo takes on this VAE
    /// and that the estimator conformance suite checks on the categorical family.
    /// </summary>
    public static TheoryData<string, string> EveryTaskAndEstimator()
    {
        var data = new TheoryData<string, string>();
        foreach (var task in TaskRegistry.All.Where(t => t.Name.EndsWith("-vae", StringComparison.Ordinal)))
        {
            foreach (var estimator in EstimatorRegistry.All.Where(task.Accepts))
            {
                if (task.Name == "categorical-vae" && UntunedReinforce.Contains(estimator.Name)) continue;
                data.Add(task.Name, estimator.Name);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryTaskAndEstimator))]
    public void The_encoder_gradient_of_every_estimator_points_along_the_exact_one(string task, string estimator)
    {
        var definition = EstimatorRegistry.Find(estimator)!;
        var measured = Measure(task, estimator, family => definition.Build(family.Distribution, definition.Resolve(Settings(task, estimator), out _).Values));

        output.WriteLine($"{task}/{estimator}: {measured}");
        Assert.True(Passes(estimator, measured), $"{task}/{estimator}: {measured}");
    }

    [Theory]
    [InlineData("bernoulli-vae", "disarm")]
    [InlineData("categorical-vae", "gumbel-softmax")]
    [InlineData("poisson-vae", "exact-diff")]
    public void A_broken_estimator_fails_the_check(string task, string estimator)
    {
        var definition = EstimatorRegistry.Find(estimator)!;
        IGradientEstimator Build(LatentFamily family) => definition.Build(family.Distribution, definition.Resolve(new Dictionary<string, double>(), out _).Values);

        var zero = Measure(task, estimator, family => new NoEncoderGradient(Build(family)));
        var flipped = Measure(task, estimator, family => new FlippedGradient(Build(family)));

        output.WriteLine($"{task}/{estimator} without encoder gradient: {zero}; negated: {flipped}");
        Assert.False(Passes(estimator, zero), $"{task}/{estimator} without encoder gradient: {zero}");
        Assert.False(Passes(estimator, flipped), $"{task}/{estimator} with its gradient negated: {flipped}");
    }

    /// <summary>
    /// Gain: the estimate's component along the exact gradient, as a multiple of it (1 for an unbiased estimator,
    /// 0 for none, -1 for the negated one); with its standard error over the groups, and the cosine of the mean
    /// estimate to the exact gradient.
    /// </summary>
    private sealed record Measurement(double Gain, double GainStandardError, double Cosine, int Groups, int RowsPerGroup)
    {
        public override string ToString() =>
            $"gain {Gain:F3} +- {GainStandardError:F3}, cosine {Cosine:F3} ({Groups} groups of {RowsPerGroup} rows)";
    }

    private static bool Passes(string estimator, Measurement m) =>
        m.Gain - 3 * m.GainStandardError >= MinimumGain
        && (Unbiased.Contains(estimator)
            ? Math.Abs(m.Gain - 1) <= 4 * m.GainStandardError + UnbiasedGainSlack
            : m.Cosine >= BiasedMinimumCosine);

    /// <summary>
    /// Groups, and copies of the four images per group: enough for the unbiased estimators' tight check, and more for
    /// plain REINFORCE, whose estimate is far noisier than the others' (it has no baseline).
    /// </summary>
    private static (int Groups, int Replicas) Budget(string task, string estimator) => (task, estimator) switch
    {
        ("bernoulli-vae", _) when UntunedReinforce.Contains(estimator) => (64, 1024),
        _ when UntunedReinforce.Contains(estimator) => (16, 1024),
        _ when Unbiased.Contains(estimator) => (16, 256),
        _ => (16, 64),
    };

    /// <summary>
    /// Defaults, but vimco on the Poisson VAE takes K = 2: its reference sums over every K-tuple of the 625 enumerated
    /// count pairs, 625^K terms, which the default K = 5 puts out of reach (8^5 and 9^5 are fine for the others).
    /// </summary>
    private static Dictionary<string, double> Settings(string task, string estimator) =>
        (task, estimator) is ("poisson-vae", "vimco") ? new() { ["samples"] = 2 } : [];

    /// <summary>A VAE of a few latents on the synthetic images: 3 Bernoulli, 2 x 3 categorical, or 2 Poisson.</summary>
    private static (VaeSession Session, VaeProblem Problem) Start(string task, Func<LatentFamily, IGradientEstimator> estimator)
    {
        (string, object)[] options = task switch
        {
            "bernoulli-vae" => [("latentDims", 3)],
            "categorical-vae" => [("latentDims", 2), ("classes", 3)],
            _ => [("latentDims", 2)],
        };
        var configuration = VaeSessionTests.Configuration(task, "reinforce", steps: 1, seed: 11, options);
        var problem = task switch
        {
            // The task's 512-256 networks are cut down to one hidden layer of 32: the wiring is the same, the check fast.
            "categorical-vae" => VaeProblem.Categorical(configuration) with { EncoderHidden = [32], DecoderHidden = [32] },
            "bernoulli-vae" => VaeProblem.Bernoulli(configuration),
            _ => VaeProblem.Poisson(configuration),
        };
        return (VaeSession.Start(problem, configuration, estimator(problem.Family), new TaskContext(CPU, Datasets)), problem);
    }

    private static Measurement Measure(string task, string estimator, Func<LatentFamily, IGradientEstimator> build)
    {
        var (session, problem) = Start(task, build);
        using (session)
        using (NewDisposeScope())
        {
            var encoder = session.Model.Encoder.Parameters.ToList();
            var images = FixedImages();                                                           // [B, pixels]
            var exact = EncoderGradient(encoder, () => BoundTrainers.Contains(estimator)                // [weights]
                ? ExactNegativeBound(session.Model, problem, images, EstimatorRegistry.Find(estimator)!.Resolve(Settings(task, estimator), out _).Integer("samples"))
                : ExactReconstruction(session.Model, problem, images));
            double exactSquare = exact.square().sum().item<double>();

            var (groups, replicas) = Budget(task, estimator);
            var rows = images.repeat(replicas, 1);                                                // [B * replicas, pixels]
            var gains = new double[groups];
            var total = zeros_like(exact);
            for (int g = 0; g < groups; g++)
            {
                var estimate = EncoderGradient(encoder, () => session.Estimate(rows).Estimated.mean());
                gains[g] = (estimate * exact).sum().item<double>() / exactSquare;
                total += estimate;
            }
            double mean = gains.Average();
            double spread = Math.Sqrt(gains.Sum(x => (x - mean) * (x - mean)) / (groups - 1));
            double cosine = nn.functional.cosine_similarity(total, exact, dim: 0).item<double>();
            return new Measurement(mean, spread / Math.Sqrt(groups), double.IsNaN(cosine) ? 0 : cosine, groups, (int)rows.shape[0]);
        }
    }

    /// <summary>The gradient of <paramref name="loss"/> with respect to the encoder's weights, flattened.</summary>
    private static Tensor EncoderGradient(IReadOnlyList<TorchSharp.Modules.Parameter> encoder, Func<Tensor> loss)
    {
        List<Tensor> inputs = [.. encoder];
        var gradients = autograd.grad([loss()], inputs, allow_unused: true);
        // A weight the loss does not reach (an estimator that gives the encoder nothing) has an undefined gradient.
        return cat([.. gradients.Select((g, i) => (g is null || g.IsInvalid ? zeros_like(encoder[i]) : g).flatten().to_type(float64))]);
    }

    /// <summary>Four training images of the synthetic set, binarised once with a fixed seed: [4, pixels].</summary>
    private static Tensor FixedImages()
    {
        var train = Datasets.Load("synthetic").Train.Select([0, 1, 2, 3]);
        using var generator = new Generator(7);
        return bernoulli(tensor(train.Pixels, [Images, train.PixelsPerImage]), generator: generator);
    }

    /// <summary>
    /// Mean over the images of E_q[-log p(x | z)] = sum over every z of q(z | x) (-log p(x | z)), with q written out
    /// here (not the estimators' families): Bernoulli z log sigma(l) + (1 - z) log sigma(-l); categorical log_softmax
    /// at the chosen class; Poisson z log lambda - lambda - log z!. Differentiable in the encoder's weights.
    /// </summary>
    private static Tensor ExactReconstruction(VaeModel model, VaeProblem problem, Tensor images)
    {
        var support = Support(problem);                                                          // [C, dims(, K)]
        var weights = LogQ(model, problem, images, support).exp();                               // [B, C]
        if (problem.Family.Distribution == LatentDistribution.Poisson)
        {
            double missing = 1 - weights.sum(1).min().item<double>();
            Assert.True(missing < 1e-9, $"Poisson mass beyond {PoissonTruncation} per latent: {missing}");
        }
        return (weights * Reconstruction(model, support, images)).sum(1).mean();
    }

    /// <summary>
    /// Mean over the images of -E[L_K], L_K = log (1/K) sum_k w_k with w = p(x | z) p(z) / q(z | x), as the sum over
    /// every K-tuple of configurations of prod_k q(z_k | x) times -L_K; q written out here as in
    /// <see cref="ExactReconstruction"/>, the prior the model's own. Differentiable in the encoder's weights.
    /// </summary>
    private static Tensor ExactNegativeBound(VaeModel model, VaeProblem problem, Tensor images, int samples)
    {
        var support = Support(problem);                                                          // [C, dims(, K)]
        var logQ = LogQ(model, problem, images, support);                                        // [B, C]
        long batch = images.shape[0], configurations = support.shape[0];
        var logPrior = model.LogPrior(support.to_type(float32)).to_type(float64).unsqueeze(0);   // [1, C]
        var logWeight = logPrior - Reconstruction(model, support, images) - logQ;                 // [B, C]

        long tuples = (long)Math.Pow(configurations, samples);
        var digits = new long[tuples * samples];
        for (long t = 0; t < tuples; t++)
        {
            for (long j = 0, rest = t; j < samples; j++, rest /= configurations) digits[t * samples + j] = rest % configurations;
        }
        var index = tensor(digits);                                                              // [T K]
        var logMass = logQ.index_select(1, index).reshape(batch, tuples, samples).sum(2, keepdim: false);       // [B, T]
        var bound = logWeight.index_select(1, index).reshape(batch, tuples, samples).logsumexp(2) - Math.Log(samples); // [B, T]
        return -(logMass.exp() * bound).sum(1, keepdim: false).mean();
    }

    /// <summary>log q(z | x) of every configuration for every image, [B, C], written out per family.</summary>
    private static Tensor LogQ(VaeModel model, VaeProblem problem, Tensor images, Tensor support)
    {
        var parameters = model.Encode(images).to_type(float64);                                  // [B, dims(, K)]
        var z = support.unsqueeze(0);                                                            // [1, C, dims(, K)]
        var p = parameters.unsqueeze(1);                                                         // [B, 1, dims(, K)]
        return problem.Family.Distribution switch
        {
            LatentDistribution.Bernoulli => (z * nn.functional.logsigmoid(p) + (1 - z) * nn.functional.logsigmoid(-p)).sum(-1),
            LatentDistribution.Categorical => (z * p.log_softmax(-1)).sum([-2, -1]),
            _ => (z * p - p.exp() - (z + 1).lgamma()).sum(-1),
        };
    }

    /// <summary>-log p(x | z) of every configuration for every image through the decoder, [B, C] in double.</summary>
    private static Tensor Reconstruction(VaeModel model, Tensor support, Tensor images)
    {
        long batch = images.shape[0], configurations = support.shape[0];
        var latents = support.to_type(float32).repeat([batch, .. Enumerable.Repeat(1L, (int)support.dim() - 1)]);  // [B C, dims(, K)]
        var paired = images.repeat_interleave(configurations, dim: 0);                            // [B C, pixels]
        return model.ReconstructionLoss(latents, paired).reshape(batch, configurations).to_type(float64);
    }

    /// <summary>Every latent configuration: [C, dims] of 0/1 or counts, or [C, dims, K] one-hot.</summary>
    private static Tensor Support(VaeProblem problem)
    {
        int dims = problem.LatentDims;
        int values = problem.Family.Distribution switch
        {
            LatentDistribution.Bernoulli => 2,
            LatentDistribution.Categorical => problem.Classes,
            _ => PoissonTruncation + 1,
        };
        int count = (int)Math.Pow(values, dims);
        var digits = new long[count, dims];
        for (int c = 0; c < count; c++)
        {
            for (int d = 0, rest = c; d < dims; d++, rest /= values) digits[c, d] = rest % values;
        }
        var indices = tensor(digits);                                                            // [C, dims]
        return problem.Family.Distribution == LatentDistribution.Categorical
            ? nn.functional.one_hot(indices, problem.Classes).to_type(float64)
            : indices.to_type(float64);
    }

    /// <summary>A broken estimator: the objective's value and the decoder's gradient, but nothing for the encoder.</summary>
    private sealed class NoEncoderGradient(IGradientEstimator inner) : IGradientEstimator
    {
        public string Name => inner.Name;
        public LatentFamily Family => inner.Family;
        public bool Relaxed => inner.Relaxed;
        public int EvaluationsPerExample(int dims) => inner.EvaluationsPerExample(dims);

        public Tensor Surrogate(Tensor parameters, IObjective objective, Generator? generator) =>
            inner.Surrogate(parameters.detach(), objective, generator);
    }

    /// <summary>A broken estimator: the same value, every gradient through it negated.</summary>
    private sealed class FlippedGradient(IGradientEstimator inner) : IGradientEstimator
    {
        public string Name => inner.Name;
        public LatentFamily Family => inner.Family;
        public bool Relaxed => inner.Relaxed;
        public int EvaluationsPerExample(int dims) => inner.EvaluationsPerExample(dims);

        public Tensor Surrogate(Tensor parameters, IObjective objective, Generator? generator)
        {
            var surrogate = inner.Surrogate(parameters, objective, generator);
            return 2 * surrogate.detach() - surrogate;
        }
    }
}

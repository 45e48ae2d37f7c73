using Pwgf.Estimators;
using Pwgf.Estimators.Families;
using Pwgf.Training.Data;
using Pwgf.Training.Toys;
using Pwgf.Training.Vae;

namespace Pwgf.Training;

/// <summary>The one place that maps task names to their definitions.</summary>
public static class TaskRegistry
{
    public static IReadOnlyList<TaskDefinition> All { get; } =
    [
        new("bernoulli-toy",
            "d independent Bernoulli latents, logits start at 0; f(z) = mean_i |z_i - target|^power.",
            LatentDistribution.Bernoulli,
            HasExactObjective: true,
            [
                Dims(1),
                new ParameterSpec("target", ParameterKind.Number, 0.45, -10, 10, "Target t of every coordinate."),
                new ParameterSpec("power", ParameterKind.Number, 2, 1, 8, "Power q >= 1."),
                BatchSize(1),
                DiagnosticSamples(),
            ],
            ToySession.Metrics,
            ToySession.Loss,
            (configuration, estimator, context) => ToySession.Start(ToyProblem.Bernoulli(configuration), configuration, estimator, context.Device)),

        new("poisson-toy",
            "d independent Poisson latents, log-rates start at 0 (lambda = 1); f(z) = mean_i (z_i - target)^2; optimum lambda* = target - 1/2.",
            LatentDistribution.Poisson,
            HasExactObjective: true,
            [
                Dims(3),
                new ParameterSpec("target", ParameterKind.Number, 3.4, 0, 1000, "Target t of every coordinate."),
                BatchSize(16),
                DiagnosticSamples(),
            ],
            ToySession.Metrics,
            ToySession.Loss,
            (configuration, estimator, context) => ToySession.Start(ToyProblem.Poisson(configuration), configuration, estimator, context.Device)),

        new("categorical-toy",
            "d independent categorical latents with K classes, logits start at 0; f(z) = mean_i |k(z_i) - target|^power over the class index k, or f(z) = mean_i c[k(z_i)] for a given cost vector c.",
            LatentDistribution.Categorical,
            HasExactObjective: true,
            [
                Dims(4),
                new ParameterSpec("classes", ParameterKind.Integer, 5, 2, 64, "Classes K per coordinate."),
                new ParameterSpec("target", ParameterKind.Number, 1.6, -100, 100, "Target t of the class index (ignored when costs are given)."),
                new ParameterSpec("power", ParameterKind.Number, 2, 1, 8, "Power q of |k - t| (ignored when costs are given)."),
                new ParameterSpec("costs", ParameterKind.NumberList, 0, -1e6, 1e6, "Optional cost of each class (K numbers); replaces target and power.", MaxCount: 64),
                BatchSize(16),
                DiagnosticSamples(),
            ],
            ToySession.Metrics,
            ToySession.Loss,
            (configuration, estimator, context) => ToySession.Start(ToyProblem.Categorical(configuration), configuration, estimator, context.Device),
            options => options.Lists.TryGetValue("costs", out var costs) && costs.Length != (int)options.Values["classes"]
                ? new Dictionary<string, string> { ["costs"] = $"Give one cost per class ({options.Values["classes"]})." }
                : new Dictionary<string, string>()),

        Vae("bernoulli-vae",
            "The DisARM benchmark: 200 Bernoulli latents with a learned Bernoulli prior, linear (784-200 / 200-784) or nonlinear (784-200-200-200 / 200-200-200-784, LeakyReLU 0.3) networks, dynamically binarised images.",
            LatentDistribution.Bernoulli,
            [Architecture(), LatentDims(200)],
            (configuration, estimator, context) => VaeSession.Start(VaeProblem.Bernoulli(configuration), configuration, estimator, context)),

        Vae("categorical-vae",
            "The Gumbel-softmax benchmark: latentDims x classes one-hot latents (default 20 x 10) with a uniform prior, encoder 784-512-256, decoder 256-512-784, ReLU.",
            LatentDistribution.Categorical,
            [LatentDims(20), new ParameterSpec("classes", ParameterKind.Integer, 10, 2, 64, "Classes K per latent.")],
            (configuration, estimator, context) => VaeSession.Start(VaeProblem.Categorical(configuration), configuration, estimator, context)),

        Vae("poisson-vae",
            "Poisson latents (default 50) with a learned Poisson prior and a Bernoulli decoder; linear or nonlinear networks as in bernoulli-vae; log-rates bounded softly to (-5, 5).",
            LatentDistribution.Poisson,
            [Architecture(), LatentDims(50)],
            (configuration, estimator, context) => VaeSession.Start(VaeProblem.Poisson(configuration), configuration, estimator, context)),
    ];

    public static TaskDefinition? Find(string name) =>
        All.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.Ordinal));

    /// <summary>
    /// What a metric of a task means (title, unit, scale, better direction), or null when the task is unknown or
    /// does not record it: what plots, summaries and reports look up instead of keeping lists of their own.
    /// </summary>
    public static MetricDefinition? FindMetric(string task, string metric) => Find(task)?.Metric(metric);

    /// <summary>A VAE task: its own options first, then the ones every VAE shares.</summary>
    private static TaskDefinition Vae(
        string name, string summary, LatentDistribution distribution, ParameterSpec[] options,
        Func<RunConfiguration, IGradientEstimator, TaskContext, ITrainingSession> start) => new(
        name, summary, distribution, HasExactObjective: false,
        [
            ParameterSpec.Choice("dataset", DatasetCatalog.Names,
                "Images to model (GET /api/v1/datasets says which this machine has)."),
            .. options,
            BatchSize(50),
            new ParameterSpec("trainSubset", ParameterKind.Integer, 0, 0, 10_000_000, "Train on only the first N training images (0: all), for small runs."),
            new ParameterSpec("importanceSamples", ParameterKind.Integer, 100, 1, 1000, "Importance samples S of the test and validation bounds."),
            new ParameterSpec("evalImages", ParameterKind.Integer, 1000, 0, 100_000,
                "Validation and test images scored at each evaluation (0: the whole split); the same images every time."),
        ],
        VaeSession.Metrics, VaeSession.TestNegLogLikelihood, start,
        Validation: VaeSession.ValidNegLogLikelihood, DefaultLearningRate: 1e-3, HasImportanceWeights: true);

    private static ParameterSpec Architecture() =>
        ParameterSpec.Choice("architecture", ["linear", "nonlinear"], "linear: one linear layer each way; nonlinear: two hidden layers of 200, LeakyReLU 0.3.");

    private static ParameterSpec LatentDims(double fallback) =>
        new("latentDims", ParameterKind.Integer, fallback, 1, 1024, "Number of latent variables.");

    private static ParameterSpec Dims(double fallback) =>
        new("dims", ParameterKind.Integer, fallback, 1, 4096, "Number of independent latent coordinates d.");

    private static ParameterSpec BatchSize(double fallback) =>
        new("batchSize", ParameterKind.Integer, fallback, 1, 4096, "Samples averaged into each step's gradient.");

    private static ParameterSpec DiagnosticSamples() =>
        new("diagnosticSamples", ParameterKind.Integer, 1000, 10, 100_000,
            "Extra per-sample gradient estimates drawn at each evaluation for grad_cosine, grad_relative_bias and grad_log_variance.");
}

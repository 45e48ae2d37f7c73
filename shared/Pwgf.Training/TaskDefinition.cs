using Pwgf.Estimators;
using Pwgf.Estimators.Families;
using Pwgf.Training.Data;
using static TorchSharp.torch;

namespace Pwgf.Training;

/// <summary>What a session may need from its host besides the configuration: the device and the datasets.</summary>
public sealed record TaskContext(Device Device, DatasetCatalog Datasets);

/// <summary>
/// A training task of the catalogue: its latent family, its options, its metrics and how to start a session.
/// Runs are scored by <paramref name="Score"/> (lower is better) at their last step; when the task has a
/// <paramref name="Validation"/> metric, the best step of a run is where that metric is lowest. A request that names
/// no optimiser gets <see cref="Optimizers.DefaultName"/> at <paramref name="DefaultLearningRate"/>. A task with
/// <paramref name="HasImportanceWeights"/> is a model with data x and a prior, whose p(x, z) / q(z | x) estimators
/// that train a multi-sample bound (VIMCO) need.
/// </summary>
public sealed record TaskDefinition(
    string Name,
    string Summary,
    LatentDistribution Distribution,
    bool HasExactObjective,
    IReadOnlyList<ParameterSpec> Options,
    IReadOnlyList<MetricDefinition> Metrics,
    MetricDefinition Score,
    Func<RunConfiguration, IGradientEstimator, TaskContext, ITrainingSession> Start,
    Func<ParameterValues, IReadOnlyDictionary<string, string>>? CheckTogether = null,
    MetricDefinition? Validation = null,
    double DefaultLearningRate = Optimizers.DefaultLearningRate,
    bool HasImportanceWeights = false)
{
    /// <summary>The stored names of the task's metrics, in the order of <see cref="Metrics"/>.</summary>
    public IReadOnlyList<string> MetricNames => [.. Metrics.Select(m => m.Name)];

    /// <summary>The definition of one of the task's metrics, or null when the task does not record it.</summary>
    public MetricDefinition? Metric(string name) => Metrics.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.Ordinal));

    /// <summary>The dataset a run of this task trains on, when the task has a "dataset" option.</summary>
    public string? DatasetOf(ParameterValues options) => options.Choices.GetValueOrDefault("dataset");

    /// <summary>
    /// Classes per coordinate of the latents: a categorical task's "classes" option (0 when the options lack it), 1 for
    /// the other families.
    /// </summary>
    public int ClassesOf(IReadOnlyDictionary<string, double> options) =>
        Distribution != LatentDistribution.Categorical ? 1 : options.TryGetValue("classes", out double classes) ? (int)classes : 0;

    /// <summary>Problems that involve several options at once (keyed by option name); none by default.</summary>
    public IReadOnlyDictionary<string, string> Check(ParameterValues options) =>
        CheckTogether?.Invoke(options) ?? new Dictionary<string, string>();

    /// <summary>Whether an estimator can run on this task.</summary>
    public bool Accepts(EstimatorDefinition estimator) => Refusal(estimator) is null;

    /// <summary>Why an estimator cannot run on this task, or null when it can.</summary>
    public string? Refusal(EstimatorDefinition estimator)
    {
        if (!estimator.AppliesTo(Distribution))
            return $"it applies to {string.Join(", ", estimator.Distributions)} latents, and this task has {Distribution} latents";
        if (!HasExactObjective && estimator.Name == "exact")
            return "the exact reference needs a known expected objective, which this task does not have";
        if (!HasImportanceWeights && estimator.NeedsImportanceWeights)
            return "it trains a multi-sample bound of a model's p(x, z) / q(z | x), and this task has no data x and prior p(z) (the VAE tasks do)";
        return null;
    }
}

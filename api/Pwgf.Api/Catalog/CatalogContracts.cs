using Pwgf.Api.Hosting.OpenApi;
using Pwgf.Training;

namespace Pwgf.Api.Catalog;

/// <summary>A parameter or task option. Choices lists the allowed names of a "choice" (then Default is a name).</summary>
public sealed record ParameterDescription(
    string Name,
    string Kind,
    [property: OneOf(typeof(double), typeof(string))] object Default,
    double? Minimum,
    double? Maximum,
    string Description,
    IReadOnlyList<string>? Choices = null);

/// <param name="Name">Estimator name, as used in requests.</param>
/// <param name="Summary">What it computes.</param>
/// <param name="Unbiased">Whether its mean is the exact gradient.</param>
/// <param name="Reference">The paper it follows.</param>
/// <param name="Distributions">The latent distributions it applies to.</param>
/// <param name="Parameters">Its parameters with defaults and ranges.</param>
/// <param name="NeedsImportanceWeights">It trains a multi-sample bound from a model's importance weights (vimco): only
/// the tasks that list it accept it, and the diagnostics endpoint, which has no model, cannot audit it.</param>
public sealed record EstimatorDescription(
    string Name,
    string Summary,
    bool Unbiased,
    string Reference,
    IReadOnlyList<string> Distributions,
    IReadOnlyList<ParameterDescription> Parameters,
    bool NeedsImportanceWeights);

/// <param name="Name">Task name, as used in requests.</param>
/// <param name="Summary">What the task trains.</param>
/// <param name="Distribution">Latent distribution: bernoulli, categorical or poisson.</param>
/// <param name="Options">Task options with defaults and ranges.</param>
/// <param name="Metrics">The names of the metrics a run of the task records.</param>
/// <param name="MetricDefinitions">What each of those metrics means, in the same order.</param>
/// <param name="Estimators">Estimators that apply to the task.</param>
/// <param name="DefaultLearningRate">Adam's learning rate when a request names no optimiser.</param>
/// <param name="ScoreMetric">The metric that ranks estimators (lower is better), at each run's last step.</param>
/// <param name="ValidationMetric">The metric whose lowest value picks a run's best step; null when the task has none.</param>
public sealed record TaskDescription(
    string Name,
    string Summary,
    string Distribution,
    IReadOnlyList<ParameterDescription> Options,
    IReadOnlyList<string> Metrics,
    IReadOnlyList<MetricDescription> MetricDefinitions,
    IReadOnlyList<string> Estimators,
    double DefaultLearningRate,
    string ScoreMetric,
    string? ValidationMetric);

/// <summary>What a recorded metric means, so that a chart or a table needs no list of its own.</summary>
/// <param name="Name">The stored name (the series endpoints' ?name=).</param>
/// <param name="Title">A short human title.</param>
/// <param name="Unit">Unit of the values ("nats", "steps/s"), or "" for a pure number.</param>
/// <param name="Scale">"linear"; "log" (positive values spanning orders of magnitude: use a log axis); or "naturalLog" (the value is already the natural log of the quantity: never take its log again).</param>
/// <param name="LowerIsBetter">True when smaller is better, false when larger is better, null when neither (a descriptive value).</param>
/// <param name="Description">What is measured, on what, and how.</param>
public sealed record MetricDescription(
    string Name,
    string Title,
    string Unit,
    string Scale,
    bool? LowerIsBetter,
    string Description)
{
    public static MetricDescription Of(MetricDefinition metric) => new(metric.Name, metric.Title, metric.Unit,
        System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(metric.Scale.ToString()), metric.LowerIsBetter, metric.Description);
}

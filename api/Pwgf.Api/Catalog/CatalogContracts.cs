using Pwgf.Api.Hosting.OpenApi;

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

public sealed record EstimatorDescription(
    string Name,
    string Summary,
    bool Unbiased,
    string Reference,
    IReadOnlyList<string> Distributions,
    IReadOnlyList<ParameterDescription> Parameters);

public sealed record TaskDescription(
    string Name,
    string Summary,
    string Distribution,
    IReadOnlyList<ParameterDescription> Options,
    IReadOnlyList<string> Metrics,
    IReadOnlyList<string> Estimators,
    double DefaultLearningRate,
    string ScoreMetric,
    string? ValidationMetric);

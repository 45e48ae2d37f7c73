namespace Pwgf.Api.Contracts;

public sealed record ParameterDescription(
    string Name,
    string Kind,
    double Default,
    double Minimum,
    double Maximum,
    string Description);

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
    IReadOnlyList<string> Estimators);

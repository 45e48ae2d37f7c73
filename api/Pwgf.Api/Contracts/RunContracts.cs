using Pwgf.Infrastructure.Entities;

namespace Pwgf.Api.Contracts;

public sealed record RunDetails(
    Guid Id,
    Guid ComparisonId,
    string Estimator,
    IReadOnlyDictionary<string, double> EstimatorParameters,
    long Seed,
    string ConfigHash,
    RunStatus Status,
    int Step,
    int Steps,
    int Attempts,
    string? Device,
    string? Error,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt);

public sealed record MetricSeries(string Name, IReadOnlyList<MetricPointDto> Points);

public sealed record MetricPointDto(int Step, double Value);

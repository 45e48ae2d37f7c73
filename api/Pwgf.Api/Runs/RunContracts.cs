using System.Text.Json.Serialization;
using Pwgf.Infrastructure.Entities;
using Pwgf.Training;

namespace Pwgf.Api.Runs;

/// <summary>
/// One run and its progress. Manifest says where and with what the latest execution trained (build commit, library
/// versions, device, threads, worker, runtime, OS); it is null until a worker has started the run.
/// EstimatorChoices holds the estimator's named-choice parameters (pwgf's projection); absent when it has none.
/// </summary>
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
    DateTimeOffset? FinishedAt,
    RunManifest? Manifest,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, string>? EstimatorChoices = null);

using Pwgf.Api.Comparisons;

namespace Pwgf.Bench;

/// <summary>One run as the API reported it at the end, with the metric series the report needs.</summary>
public sealed record RunResult(
    Guid Id,
    string Estimator,
    long Seed,
    string Status,
    int Step,
    int Steps,
    string? Error,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    IReadOnlyDictionary<string, IReadOnlyList<MetricPoint>> Metrics)
{
    public const string SucceededStatus = "Succeeded";

    public bool Succeeded => Status == SucceededStatus;

    /// <summary>Seconds from the worker starting the run to its end (includes evaluations and data loading).</summary>
    public double? WallSeconds => StartedAt is { } start && FinishedAt is { } end ? (end - start).TotalSeconds : null;

    public IReadOnlyList<MetricPoint> Series(string name) => Metrics.TryGetValue(name, out var points) ? points : [];

    /// <summary>
    /// Training speed: the mean of the run's own steps_per_second metric where the task records one (its evaluations
    /// at step 0 have nothing to measure yet, so they are left out), else the steps over the run's wall time.
    /// </summary>
    public double? StepsPerSecond
    {
        get
        {
            var recorded = Series(MetricRoles.StepsPerSecond).Where(p => p.Step > 0 && double.IsFinite(p.Value)).ToList();
            if (recorded.Count > 0) return recorded.Average(p => p.Value);
            return Succeeded && WallSeconds is > 0 and var seconds ? Steps / seconds : null;
        }
    }

    public bool MeasuresOwnSpeed => Series(MetricRoles.StepsPerSecond).Count > 0;
}

/// <summary>What became of one comparison of the plan: refused by the API, or run with these results.</summary>
/// <param name="Spec">The comparison as planned.</param>
/// <param name="Id">The comparison's id; null when the API refused it.</param>
/// <param name="Refusal">Why the API refused it (status and problem details); null when accepted.</param>
/// <param name="ResolvedOptions">The task options as the service stored them, defaults filled in.</param>
/// <param name="Runs">Every run, in the order the API lists them (estimator by estimator, seed by seed).</param>
/// <param name="Seconds">From submission until the comparison's last run ended (or the deadline).</param>
/// <param name="Summary">The API's summary of the score, one entry per estimator (GET /api/v1/comparisons/{id}).</param>
/// <param name="Pairwise">The API's pairwise tests of the score, every pair of estimators once.</param>
public sealed record ComparisonOutcome(
    ExperimentSpec Spec,
    Guid? Id,
    string? Refusal,
    IReadOnlyDictionary<string, string> ResolvedOptions,
    IReadOnlyList<RunResult> Runs,
    double Seconds,
    IReadOnlyList<EstimatorSummary> Summary,
    IReadOnlyList<PairwiseDifference> Pairwise)
{
    public static ComparisonOutcome Refused(ExperimentSpec spec, string refusal) =>
        new(spec, null, refusal, new Dictionary<string, string>(), [], 0, [], []);

    public IReadOnlyList<RunResult> RunsOf(string estimator) => [.. Runs.Where(r => r.Estimator == estimator)];
}

/// <summary>Everything one invocation produced, with the facts the report states about how it ran.</summary>
public sealed record ExperimentResults(
    ExperimentSettings Settings,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    double? LoadAverageBefore,
    double? LoadAverageAfter,
    bool StoppedAtDeadline,
    IReadOnlyList<ComparisonOutcome> Comparisons)
{
    public TimeSpan WallTime => FinishedAt - StartedAt;
}

using Pwgf.Api.Comparisons;
using Pwgf.Statistics;
using Pwgf.Training;

namespace Pwgf.Bench;

/// <summary>
/// One estimator of a comparison. Its score, rank and rank group are the API's summary (<see cref="Score"/>); the API
/// summarises nothing else, so the other columns are summarised here across the succeeded seeds with the same
/// statistics library: a run whose final score is not finite (diverged) counts in <see cref="Diverged"/>. The final
/// variance is summarised as log10 values (a geometric mean) when the metric stores the variance itself, as stored
/// when its definition says it stores its natural log (<see cref="ExperimentSummary.VarianceIsNaturalLog"/>).
/// </summary>
public sealed record EstimatorRow(
    string Estimator,
    int Runs,
    int Succeeded,
    int Diverged,
    EstimatorSummary Score,
    IReadOnlyList<SeedSummary> AlsoFinal,
    IReadOnlyList<SeedSummary> AtStart,
    SeedSummary Variance,
    SeedSummary StepsPerSecond,
    SeedSummary WallSeconds)
{
    public int? Rank => Score.Rank;
}

public static class ExperimentSummary
{
    public static IReadOnlyList<EstimatorRow> Rows(ComparisonOutcome outcome)
    {
        var roles = outcome.Spec.Metrics;
        var summaries = outcome.Summary.ToDictionary(s => s.Estimator);
        return [.. Estimators(outcome).Select(estimator =>
        {
            var runs = outcome.RunsOf(estimator);
            var succeeded = runs.Where(r => r.Succeeded).ToList();
            var scores = succeeded.Select(r => MetricSeries.Final(r.Series(roles.Score))).ToList();
            return new EstimatorRow(
                estimator,
                runs.Count,
                succeeded.Count,
                scores.Count(s => s is not { } value || !double.IsFinite(value)),
                summaries.TryGetValue(estimator, out var summary) ? summary : Unscored(estimator, roles.Score, runs.Count, succeeded.Count),
                [.. roles.AlsoFinal.Select(name => FinalAcross(succeeded, name))],
                [.. roles.AtStart.Select(name => SeedSummary.Of(succeeded.Select(r => MetricSeries.First(r.Series(name))).OfType<double>()))],
                FinalAcross(succeeded, roles.Variance, VarianceIsNaturalLog(outcome) ? SeedScales.Linear : SeedScales.Log10),
                SeedSummary.Of(succeeded.Select(r => r.StepsPerSecond).OfType<double>()),
                SeedSummary.Of(succeeded.Select(r => r.WallSeconds).OfType<double>()));
        })];
    }

    /// <summary>Whether the variance metric stores ln(variance), as its task's definition declares (the toys' grad_log_variance).</summary>
    public static bool VarianceIsNaturalLog(ComparisonOutcome outcome) =>
        TaskRegistry.FindMetric(outcome.Spec.Task, outcome.Spec.Metrics.Variance)?.Scale == MetricScale.NaturalLog;

    /// <summary>The metric the API scored the comparison by (its task's score), else the plan's.</summary>
    public static string ScoreMetric(ComparisonOutcome outcome) => outcome.Summary.FirstOrDefault()?.Metric ?? outcome.Spec.Metrics.Score;

    /// <summary>
    /// Pairs of estimators whose score curves agree exactly on every seed: in effect the same update under two names,
    /// which the reader should be told rather than left to guess from a hidden curve and a tied rank.
    /// </summary>
    public static IReadOnlyList<(string First, string Second)> Coinciding(ComparisonOutcome outcome)
    {
        string score = outcome.Spec.Metrics.Score;
        var curves = Estimators(outcome).ToDictionary(e => e, e => outcome.RunsOf(e)
            .Where(r => r.Succeeded)
            .OrderBy(r => r.Seed)
            .Select(r => (r.Seed, Points: r.Series(score)))
            .ToList());
        var names = curves.Keys.ToList();
        return [.. names
            .SelectMany((first, i) => names.Skip(i + 1).Select(second => (First: first, Second: second)))
            .Where(pair => Same(curves[pair.First], curves[pair.Second]))];

        static bool Same(List<(long Seed, IReadOnlyList<MetricPoint> Points)> a, List<(long Seed, IReadOnlyList<MetricPoint> Points)> b) =>
            a.Count > 0 && a.Count == b.Count &&
            a.Zip(b).All(pair => pair.First.Seed == pair.Second.Seed && pair.First.Points.Count > 0 && pair.First.Points.SequenceEqual(pair.Second.Points));
    }

    /// <summary>The estimators in the order the API lists the runs, which is the order of the request.</summary>
    public static IReadOnlyList<string> Estimators(ComparisonOutcome outcome) =>
        [.. outcome.Runs.Select(r => r.Estimator).Distinct()];

    /// <summary>An estimator the API's summary does not list (it always lists every one): shown without a score.</summary>
    private static EstimatorSummary Unscored(string estimator, string metric, int runs, int succeeded) =>
        new(estimator, metric, runs, succeeded, null, null, null, null, null, [], null, [], null);

    /// <summary>The final values across seeds, on the given scale; values it cannot hold count as diverged.</summary>
    private static SeedSummary FinalAcross(IEnumerable<RunResult> runs, string metric, Func<double, double?>? toScale = null) =>
        SeedSummary.Of(runs
            .Select(r => MetricSeries.Final(r.Series(metric)))
            .OfType<double>()
            .Select(value => (toScale ?? SeedScales.Linear)(value) ?? double.NaN));
}

using Pwgf.Statistics;

namespace Pwgf.Bench;

/// <summary>
/// One estimator of a comparison, summarised across its seeds: only succeeded runs count, and a run whose final
/// value is not finite (diverged) counts in <see cref="Diverged"/> instead of the mean, and ranks the estimator last.
/// The final variance is summarised as log10 values (a geometric mean) when the metric stores the variance itself,
/// as stored when it stores its natural log (<see cref="MetricRoles.VarianceIsNaturalLog"/>). The standing holds the
/// rank, its group and the estimators not resolved from this one (<see cref="Pairwise"/>).
/// </summary>
public sealed record EstimatorRow(
    string Estimator,
    int Runs,
    int Succeeded,
    int Diverged,
    SeedSummary Score,
    IReadOnlyList<SeedSummary> AlsoFinal,
    IReadOnlyList<SeedSummary> AtStart,
    SeedSummary Variance,
    SeedSummary StepsPerSecond,
    SeedSummary WallSeconds,
    Standing Standing)
{
    public int? Rank => Standing.Rank;
}

/// <summary>One curve of a figure: an estimator's across-seed mean with its standard-error band.</summary>
public sealed record EstimatorCurve(string Estimator, int Seeds, IReadOnlyList<BandPoint> Band);

public static class ExperimentSummary
{
    public static IReadOnlyList<EstimatorRow> Rows(ComparisonOutcome outcome)
    {
        var roles = outcome.Spec.Metrics;
        var estimators = Estimators(outcome);
        var finalScores = estimators.Select(estimator =>
        {
            var scores = outcome.RunsOf(estimator).Where(r => r.Succeeded).Select(r => MetricSeries.Final(r.Series(roles.Score)));
            return (Estimator: estimator, Score: SeedSummary.Of(scores.OfType<double>()));
        }).ToList();
        var standings = Pairwise.Compare(finalScores).Standings;

        return [.. estimators.Select((estimator, i) =>
        {
            var runs = outcome.RunsOf(estimator);
            var succeeded = runs.Where(r => r.Succeeded).ToList();
            var scores = succeeded.Select(r => MetricSeries.Final(r.Series(roles.Score))).ToList();
            return new EstimatorRow(
                estimator,
                runs.Count,
                succeeded.Count,
                scores.Count(s => s is not { } value || !double.IsFinite(value)),
                finalScores[i].Score,
                [.. roles.AlsoFinal.Select(name => FinalAcross(succeeded, name))],
                [.. roles.AtStart.Select(name => SeedSummary.Of(succeeded.Select(r => MetricSeries.First(r.Series(name))).OfType<double>()))],
                FinalAcross(succeeded, roles.Variance, roles.VarianceIsNaturalLog ? SeedScales.Linear : SeedScales.Log10),
                SeedSummary.Of(succeeded.Select(r => r.StepsPerSecond).OfType<double>()),
                SeedSummary.Of(succeeded.Select(r => r.WallSeconds).OfType<double>()),
                standings[i]);
        })];
    }

    /// <summary>
    /// The across-seed curve of a metric for every estimator (succeeded runs only), after mapping every value through
    /// <paramref name="toScale"/>, e.g. to the log10 scale a variance is plotted on. Only steps at which every seed
    /// has a value are kept: a curve that stops early or diverges shortens the band rather than silently changing the
    /// seeds it averages.
    /// </summary>
    public static IReadOnlyList<EstimatorCurve> Curves(ComparisonOutcome outcome, string metric, Func<double, double?>? toScale = null) =>
        [.. Estimators(outcome).Select(estimator =>
        {
            var seeds = outcome.RunsOf(estimator).Where(r => r.Succeeded).Select(r => r.Series(metric)).Where(s => s.Count > 0).ToList();
            var band = SeedBand.Of(seeds.Select(series => series.Select(p => (p.Step, p.Value))), toScale)
                .Where(point => point.Seeds == seeds.Count)
                .ToList();
            return new EstimatorCurve(estimator, seeds.Count, band);
        }).Where(curve => curve.Band.Count > 0)];

    /// <summary>
    /// Pairs of estimators whose score curves agree exactly on every seed: the same update under two names (pwgf is
    /// straight-through on Bernoulli latents), which the reader should be told rather than left to guess from a
    /// hidden curve and a tied rank.
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

    /// <summary>The final values across seeds, on the given scale; values it cannot hold count as diverged.</summary>
    private static SeedSummary FinalAcross(IEnumerable<RunResult> runs, string metric, Func<double, double?>? toScale = null) =>
        SeedSummary.Of(runs
            .Select(r => MetricSeries.Final(r.Series(metric)))
            .OfType<double>()
            .Select(value => (toScale ?? SeedScales.Linear)(value) ?? double.NaN));
}

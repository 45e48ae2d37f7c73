namespace Pwgf.Bench;

/// <summary>
/// One estimator of a comparison, summarised across its seeds: only succeeded runs count, and a run whose final
/// value is not finite (diverged) counts in <see cref="Diverged"/> instead of the mean.
/// </summary>
public sealed record EstimatorRow(
    string Estimator,
    int Runs,
    int Succeeded,
    int Diverged,
    MeanAndError Score,
    IReadOnlyList<MeanAndError> AlsoFinal,
    IReadOnlyList<MeanAndError> AtStart,
    MeanAndError Variance,
    MeanAndError StepsPerSecond,
    MeanAndError WallSeconds,
    int? Rank);

/// <summary>One curve of a figure: an estimator's across-seed mean with its standard-error band.</summary>
public sealed record EstimatorCurve(string Estimator, int Seeds, IReadOnlyList<BandPoint> Band);

public static class ExperimentSummary
{
    public static IReadOnlyList<EstimatorRow> Rows(ComparisonOutcome outcome)
    {
        var roles = outcome.Spec.Metrics;
        var rows = Estimators(outcome).Select(estimator =>
        {
            var runs = outcome.RunsOf(estimator);
            var succeeded = runs.Where(r => r.Succeeded).ToList();
            var scores = succeeded.Select(r => SeedStatistics.Final(r.Series(roles.Score))).ToList();
            return new EstimatorRow(
                estimator,
                runs.Count,
                succeeded.Count,
                scores.Count(s => s is not { } value || !double.IsFinite(value)),
                SeedStatistics.Of(scores.OfType<double>()),
                [.. roles.AlsoFinal.Select(name => FinalAcross(succeeded, name))],
                [.. roles.AtStart.Select(name => SeedStatistics.Of(succeeded.Select(r => SeedStatistics.First(r.Series(name))).OfType<double>()))],
                FinalAcross(succeeded, roles.Variance),
                SeedStatistics.Of(succeeded.Select(r => r.StepsPerSecond).OfType<double>()),
                SeedStatistics.Of(succeeded.Select(r => r.WallSeconds).OfType<double>()),
                Rank: null);
        }).ToList();

        var ranks = SeedStatistics.Ranks([.. rows.Select(r => r.Score.Mean)]);
        return [.. rows.Select((row, i) => row with { Rank = ranks[i] })];
    }

    /// <summary>
    /// The across-seed curve of a metric for every estimator (succeeded runs only), after mapping every value through
    /// <paramref name="transform"/>, e.g. to the log10 scale a variance is plotted on (see <see cref="SeedStatistics.Band"/>).
    /// </summary>
    public static IReadOnlyList<EstimatorCurve> Curves(ComparisonOutcome outcome, string metric, Func<double, double>? transform = null) =>
        [.. Estimators(outcome).Select(estimator =>
        {
            var seeds = outcome.RunsOf(estimator).Where(r => r.Succeeded).Select(r => r.Series(metric)).Where(s => s.Count > 0).ToList();
            return new EstimatorCurve(estimator, seeds.Count, SeedStatistics.Band(seeds, transform));
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

    private static MeanAndError FinalAcross(IEnumerable<RunResult> runs, string metric) =>
        SeedStatistics.Of(runs.Select(r => SeedStatistics.Final(r.Series(metric))).OfType<double>());
}

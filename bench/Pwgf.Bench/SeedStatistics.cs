namespace Pwgf.Bench;

/// <summary>One value of a metric series.</summary>
public readonly record struct MetricPoint(int Step, double Value);

/// <summary>
/// Mean of some values across seeds with its standard error (sample standard deviation / sqrt n); the error is
/// null for fewer than two values, the mean null for none.
/// </summary>
public readonly record struct MeanAndError(double? Mean, double? StandardError, int Count);

/// <summary>The across-seed mean of a curve at one step, with its standard error (null with one seed).</summary>
public readonly record struct BandPoint(int Step, double Mean, double? StandardError)
{
    public double Lower => Mean - (StandardError ?? 0);
    public double Upper => Mean + (StandardError ?? 0);
}

/// <summary>How the report summarises seeds: the same estimator and budget, repeated with different seeds.</summary>
public static class SeedStatistics
{
    /// <summary>Mean and standard error of the finite values; NaN and infinities (a diverged run) are left out.</summary>
    public static MeanAndError Of(IEnumerable<double> values)
    {
        var finite = values.Where(double.IsFinite).ToArray();
        if (finite.Length == 0) return new MeanAndError(null, null, 0);
        double mean = finite.Average();
        if (finite.Length == 1) return new MeanAndError(mean, null, 1);
        double sumOfSquares = finite.Sum(x => (x - mean) * (x - mean));
        return new MeanAndError(mean, Math.Sqrt(sumOfSquares / (finite.Length - 1) / finite.Length), finite.Length);
    }

    /// <summary>
    /// The mean curve of several seeds with a standard-error band, after mapping every value through
    /// <paramref name="transform"/> (e.g. a logarithm, so a variance is averaged on the scale it is plotted on).
    /// Only steps at which every seed has a finite value are kept: a curve that stops early or diverges shortens
    /// the band rather than silently changing the seeds it averages.
    /// </summary>
    public static IReadOnlyList<BandPoint> Band(IReadOnlyList<IReadOnlyList<MetricPoint>> seeds, Func<double, double>? transform = null)
    {
        if (seeds.Count == 0) return [];
        transform ??= x => x;
        var bySeed = seeds
            .Select(series => series
                .Select(p => (p.Step, Value: transform(p.Value)))
                .Where(p => double.IsFinite(p.Value))
                .GroupBy(p => p.Step)
                .ToDictionary(g => g.Key, g => g.Last().Value))
            .ToList();
        var steps = bySeed.Skip(1).Aggregate(
            new SortedSet<int>(bySeed[0].Keys),
            (common, next) => { common.IntersectWith(next.Keys); return common; });
        return steps
            .Select(step => Of(bySeed.Select(seed => seed[step])) is { Mean: { } mean } stats
                ? new BandPoint(step, mean, stats.StandardError)
                : throw new InvalidOperationException("finite values without a mean"))
            .ToList();
    }

    /// <summary>The value at the largest step, or null for an empty series.</summary>
    public static double? Final(IReadOnlyList<MetricPoint> series) =>
        series.Count == 0 ? null : series.MaxBy(p => p.Step).Value;

    /// <summary>The value at the smallest step, or null for an empty series.</summary>
    public static double? First(IReadOnlyList<MetricPoint> series) =>
        series.Count == 0 ? null : series.MinBy(p => p.Step).Value;

    /// <summary>
    /// Competition ranks (1, 2, 2, 4) of the given scores, lower is better; estimators without a score get none.
    /// </summary>
    public static int?[] Ranks(IReadOnlyList<double?> scores) =>
        scores
            .Select(score => score is { } s ? 1 + scores.Count(other => other is { } o && o < s) : (int?)null)
            .ToArray();
}

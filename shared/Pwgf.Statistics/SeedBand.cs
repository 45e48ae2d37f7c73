namespace Pwgf.Statistics;

/// <summary>The across-seed mean of a curve at one step, with its standard error (null with one seed).</summary>
/// <param name="Step">The step.</param>
/// <param name="Mean">Mean over the seeds that have a value here, on the scale the values were mapped to.</param>
/// <param name="StandardError">Sample standard deviation over sqrt(seeds); null for a single seed.</param>
/// <param name="Seeds">Seeds that have a value at this step.</param>
public sealed record BandPoint(int Step, double Mean, double? StandardError, int Seeds)
{
    /// <summary>Mean minus one standard error (the mean itself with one seed).</summary>
    public double Lower => Mean - (StandardError ?? 0);

    /// <summary>Mean plus one standard error (the mean itself with one seed).</summary>
    public double Upper => Mean + (StandardError ?? 0);
}

/// <summary>
/// Mean curves over seeds with a one-standard-error band, step by step.
/// Each step averages the seeds that have a value there: while a comparison runs, the newest steps may rest on
/// fewer seeds than the rest, and <see cref="BandPoint.Seeds"/> says how many. A caller that must average the same
/// seeds everywhere (a finished report) keeps the points whose Seeds equals the number of curves.
/// </summary>
public static class SeedBand
{
    /// <param name="seeds">One curve per seed: (step, value) points in any order; of repeated steps the last counts.</param>
    /// <param name="toScale">Maps a stored value to the scale it is averaged and drawn on (see <see cref="SeedScales"/>);
    /// null leaves the point out, as if not recorded. Default: <see cref="SeedScales.Linear"/>.</param>
    public static IReadOnlyList<BandPoint> Of(IEnumerable<IEnumerable<(int Step, double Value)>> seeds, Func<double, double?>? toScale = null)
    {
        toScale ??= SeedScales.Linear;
        var valuesByStep = new SortedDictionary<int, List<double>>();
        foreach (var curve in seeds)
        {
            var lastAtStep = new Dictionary<int, double?>();
            foreach (var (step, value) in curve) lastAtStep[step] = toScale(value);
            foreach (var (step, scaled) in lastAtStep)
            {
                if (scaled is not { } v || !double.IsFinite(v)) continue;
                if (!valuesByStep.TryGetValue(step, out var values)) valuesByStep[step] = values = [];
                values.Add(v);
            }
        }
        return [.. valuesByStep.Select(entry =>
        {
            var summary = SeedSummary.Of(entry.Value);
            return new BandPoint(entry.Key, summary.Mean!.Value, summary.StandardError, summary.Count);
        })];
    }
}

/// <summary>
/// The scales seed statistics are taken on. A variance spans decades, so it is averaged as a logarithm: the mean of
/// log10 values is log10 of the geometric mean, and mean +- one standard error of the logs is a band that multiplies
/// and divides the geometric mean by the same factor. Every function returns null for a value the scale cannot hold.
/// </summary>
public static class SeedScales
{
    /// <summary>Values as stored; a non-finite value (a diverged run) is left out.</summary>
    public static double? Linear(double value) => double.IsFinite(value) ? value : null;

    /// <summary>log10 of a positive value; zero, negatives and non-finite values are left out.</summary>
    public static double? Log10(double value) => double.IsFinite(value) && value > 0 ? Math.Log10(value) : null;

    /// <summary>A value stored as a natural logarithm (grad_log_variance), rescaled to log10 rather than logged again.</summary>
    public static double? Log10OfNaturalLog(double naturalLog) => double.IsFinite(naturalLog) ? naturalLog / Math.Log(10) : null;
}



namespace Pwgf.Api.Series;

/// <summary>One step of an estimator's curve over its seeds.</summary>
/// <param name="Step">The step.</param>
/// <param name="Mean">Mean over the seeds that recorded the step (in axis units).</param>
/// <param name="StandardError">Sample standard deviation / sqrt(seeds); 0 for a single seed.</param>
/// <param name="Seeds">Seeds that recorded the step.</param>
public sealed record BandPoint(int Step, double Mean, double StandardError, int Seeds);

/// <summary>An estimator's curve: <paramref name="Seeds"/> runs contributed at least one point.</summary>
public sealed record EstimatorBand(string Estimator, int Seeds, IReadOnlyList<BandPoint> Points);

/// <summary>Across-seed means and standard errors, step by step, per estimator.</summary>
public static class SeedBands
{
    /// <summary>
    /// One band per estimator that has points, in the order of <paramref name="estimators"/>. Each step averages the
    /// seeds that recorded it, so while a comparison runs the newest steps may rest on fewer seeds than the rest.
    /// Values the scale cannot show are left out, as if not recorded.
    /// </summary>
    public static IReadOnlyList<EstimatorBand> Across(
        IReadOnlyList<string> estimators,
        IReadOnlyList<(string Estimator, IReadOnlyList<MetricPointDto> Points)> runs,
        Func<double, double?> toAxis)
    {
        var bands = new List<EstimatorBand>();
        foreach (string estimator in estimators)
        {
            var seeds = runs
                .Where(r => r.Estimator == estimator)
                .Select(r => r.Points.Select(p => (p.Step, Value: toAxis(p.Value))).Where(p => p.Value is not null).ToList())
                .Where(points => points.Count > 0)
                .ToList();
            if (seeds.Count == 0) continue;

            var points = seeds
                .SelectMany(points => points)
                .GroupBy(p => p.Step)
                .OrderBy(g => g.Key)
                .Select(g => Summarise(g.Key, g.Select(p => p.Value!.Value).ToList()))
                .ToList();
            bands.Add(new EstimatorBand(estimator, seeds.Count, points));
        }
        return bands;
    }

    private static BandPoint Summarise(int step, List<double> values)
    {
        double mean = values.Average();
        if (values.Count < 2) return new BandPoint(step, mean, 0, values.Count);
        double variance = values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1);
        return new BandPoint(step, mean, Math.Sqrt(variance / values.Count), values.Count);
    }
}

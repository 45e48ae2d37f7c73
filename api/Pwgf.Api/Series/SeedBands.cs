using Pwgf.Statistics;

namespace Pwgf.Api.Series;

/// <summary>One estimator's across-seed curve of a metric: mean and standard error step by step.</summary>
/// <param name="Estimator">The estimator's label in the comparison.</param>
/// <param name="Seeds">How many of its runs have at least one point the axis can show.</param>
/// <param name="Points">In step order, in the axis units of the response; each step averages the seeds that recorded
/// it (its own seeds field), so the newest steps of a running comparison may rest on fewer seeds.</param>
public sealed record EstimatorBand(string Estimator, int Seeds, IReadOnlyList<BandPoint> Points);

/// <summary>Across-seed means and standard errors, step by step, per estimator (computed by <see cref="SeedBand"/>).</summary>
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
                .Where(r => r.Estimator == estimator && r.Points.Any(p => toAxis(p.Value) is not null))
                .Select(r => r.Points.Select(p => (p.Step, p.Value)))
                .ToList();
            if (seeds.Count == 0) continue;
            bands.Add(new EstimatorBand(estimator, seeds.Count, SeedBand.Of(seeds, toAxis)));
        }
        return bands;
    }
}

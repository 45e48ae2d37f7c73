namespace Pwgf.Bench;

/// <summary>One value of a metric series.</summary>
public readonly record struct MetricPoint(int Step, double Value);

/// <summary>The points of a run's series the report reads (the statistics across seeds are Pwgf.Statistics').</summary>
public static class MetricSeries
{
    /// <summary>The value at the largest step, or null for an empty series.</summary>
    public static double? Final(IReadOnlyList<MetricPoint> series) =>
        series.Count == 0 ? null : series.MaxBy(p => p.Step).Value;

    /// <summary>The value at the smallest step, or null for an empty series.</summary>
    public static double? First(IReadOnlyList<MetricPoint> series) =>
        series.Count == 0 ? null : series.MinBy(p => p.Step).Value;
}

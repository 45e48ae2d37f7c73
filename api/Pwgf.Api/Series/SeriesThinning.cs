

namespace Pwgf.Api.Series;

/// <summary>
/// Server-side downsampling of metric series (the maxPoints query parameter). Targets are spaced evenly over a step
/// range, and for each target the stored point with the nearest step is kept (the earlier one on a tie), each point
/// at most once. A series' first and last points are the nearest to the outermost targets, so they always survive,
/// and the result never has more points than targets.
/// </summary>
/// <remarks>
/// Chosen over LTTB or min-max buckets because it keeps seeds aligned: runs of one comparison record metrics at the
/// same evaluation steps, so thinning them onto the same targets keeps the same steps in every run, and across-seed
/// means and standard-error bands can still be taken step by step. The price is that a one-step spike between two
/// kept points is not shown; evaluation metrics are smooth enough for that not to matter on a chart.
/// </remarks>
public static class SeriesThinning
{
    public const int MinPoints = 2;
    public const int MaxPoints = 10_000;

    /// <summary>The validation message for a maxPoints outside its range, or null when it is fine (or absent).</summary>
    public static string? Check(int? maxPoints) =>
        maxPoints is null or (>= MinPoints and <= MaxPoints) ? null : $"Must be between {MinPoints} and {MaxPoints}.";

    /// <summary>One series, thinned over its own step range when it has more than <paramref name="maxPoints"/> points.</summary>
    public static IReadOnlyList<MetricPointDto> Thin(IReadOnlyList<MetricPointDto> points, int? maxPoints) =>
        maxPoints is not { } limit || points.Count <= limit ? points : OntoTargets(points, limit, points[0].Step, points[^1].Step);

    /// <summary>
    /// Several series of one comparison: when any has more than <paramref name="maxPoints"/> points, every one is thinned
    /// onto the same targets over the steps they span together, so their kept steps coincide.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<MetricPointDto>> ThinTogether(IReadOnlyList<IReadOnlyList<MetricPointDto>> series, int? maxPoints)
    {
        if (maxPoints is not { } limit || series.All(s => s.Count <= limit)) return series;
        var nonEmpty = series.Where(s => s.Count > 0).ToList();
        int first = nonEmpty.Min(s => s[0].Step);
        int last = nonEmpty.Max(s => s[^1].Step);
        return series.Select(s => s.Count == 0 ? s : OntoTargets(s, limit, first, last)).ToList();
    }

    /// <summary>
    /// Keeps, for each of <paramref name="targets"/> steps spaced evenly from <paramref name="first"/> to
    /// <paramref name="last"/>, the point nearest to it. Points are sorted by step, steps distinct.
    /// </summary>
    private static List<MetricPointDto> OntoTargets(IReadOnlyList<MetricPointDto> points, int targets, int first, int last)
    {
        var kept = new List<MetricPointDto>(Math.Min(targets, points.Count));
        double spacing = (double)(last - first) / (targets - 1);
        int candidate = 0;
        int lastKept = -1;
        for (int k = 0; k < targets; k++)
        {
            double target = first + k * spacing;
            // Targets increase, so the nearest point never moves backwards: advance while the next one is as close.
            while (candidate + 1 < points.Count && points[candidate + 1].Step <= target) candidate++;
            int nearest = candidate + 1 < points.Count
                && points[candidate + 1].Step - target < Math.Abs(target - points[candidate].Step) ? candidate + 1 : candidate;
            if (nearest == lastKept) continue;
            kept.Add(points[nearest]);
            lastKept = nearest;
        }
        return kept;
    }
}

using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Pwgf.Api.Hosting;
using Pwgf.Api.Hosting.OpenApi;
using Pwgf.Api.Runs;
using Pwgf.Infrastructure;

namespace Pwgf.Api.Series;

/// <summary>GET /api/v1/runs/{id}/metrics: one metric series of one run.</summary>
public static class RunMetrics
{
    /// <summary>One metric series of a run, optionally only the points after a step (for polling).</summary>
    /// <remarks>
    /// Points in step order. Poll with afterStep set to the last step you hold to get only newer points, and with
    /// maxPoints to thin a long series on the server: when it has more points, the ones nearest to maxPoints evenly
    /// spaced steps are kept, the first and last always among them. The ETag is made of the series' point count and
    /// last step (points are only ever added), so If-None-Match answers 304 until a new point is stored. Without a
    /// name, the 400 lists the metrics this run has.
    /// </remarks>
    /// <param name="id">The run.</param>
    /// <param name="name">Metric name, one of the run's task's metrics (GET /api/v1/tasks), e.g. loss or test_neg_log_likelihood.</param>
    /// <param name="afterStep">Only points with a larger step (a polling cursor: the last step you hold).</param>
    /// <param name="maxPoints">At most this many points; the first and last point are always kept.</param>
    /// <param name="http">For If-None-Match and the ETag.</param>
    /// <param name="db">Database.</param>
    /// <param name="cache">Thinned series already read.</param>
    /// <param name="cancellationToken">Request aborted.</param>
    public static async Task<Results<Ok<MetricSeries>, NotModified, ProblemHttpResult, ValidationProblem>> GetAsync(
        Guid id,
        [MetricName] string? name,
        int? afterStep,
        [Range(SeriesThinning.MinPoints, SeriesThinning.MaxPoints)] int? maxPoints,
        HttpContext http, PwgfDbContext db, ThinnedSeriesCache cache, CancellationToken cancellationToken)
    {
        if (SeriesThinning.Check(maxPoints) is { } outOfRange)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["maxPoints"] = [outOfRange] });
        }
        if (!await db.Runs.AnyAsync(r => r.Id == id, cancellationToken)) return RunsApi.NotFound(id);
        if (string.IsNullOrWhiteSpace(name))
        {
            var names = await db.Metrics.Where(m => m.RunId == id).Select(m => m.Name).Distinct().OrderBy(n => n).ToListAsync(cancellationToken);
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["name"] = [names.Count == 0 ? "Required: a metric name." : $"Required: a metric name. This run has {string.Join(", ", names)}."],
            });
        }

        int after = afterStep ?? -1;
        var stamps = await SeriesStamp.ReadAsync(db, [id], name, after, cancellationToken);
        string known = SeriesTag(id, name, after, maxPoints, stamps[id]);
        if (EntityTags.ClientHas(http.Request, known)) return new NotModified(known);

        if (maxPoints is { } limit && stamps[id].Points > limit)
        {
            // Long series are thinned in the database. Steps only grow, so the kept points are those of the stamped
            // state even if points arrive meanwhile (they lie beyond the last target): the stamp is the right tag.
            var firsts = await SeriesReader.FirstStepsAsync(db, [id], name, after, cancellationToken);
            var thinned = await cache.GetAsync(id, name, after, limit, firsts[id], stamps[id].LastStep, stamps[id].LastStep, cancellationToken);
            EntityTags.Stamp(http.Response, known);
            return TypedResults.Ok(new MetricSeries(name, thinned));
        }

        var points = await db.Metrics
            .AsNoTracking()
            .Where(m => m.RunId == id && m.Name == name && m.Step > after)
            .OrderBy(m => m.Step)
            .Select(m => new MetricPointDto(m.Step, m.Value))
            .ToListAsync(cancellationToken);
        // Tagged by what was read, not by the earlier stamp: points stored in between must not hide behind it.
        EntityTags.Stamp(http.Response, SeriesTag(id, name, after, maxPoints, SeriesStamp.Of(points)));
        return TypedResults.Ok(new MetricSeries(name, SeriesThinning.Thin(points, maxPoints)));
    }

    /// <summary>Points are only ever added (never changed or removed), so their count and last step identify a series.</summary>
    private static string SeriesTag(Guid id, string name, int after, int? maxPoints, SeriesStamp stamp) =>
        EntityTags.Of("run-metrics", [id, name, after, maxPoints, stamp.Points, stamp.LastStep]);
}

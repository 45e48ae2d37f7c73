using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Pwgf.Api.Catalog;
using Pwgf.Api.Comparisons;
using Pwgf.Api.Hosting;
using Pwgf.Api.Hosting.OpenApi;
using Pwgf.Infrastructure;

namespace Pwgf.Api.Series;

/// <summary>GET /api/v1/comparisons/{id}/bands: across-seed means and standard errors of one metric, what charts draw.</summary>
public static class ComparisonBands
{
    /// <summary>One metric of a comparison as per-estimator mean ± one standard error over seeds, step by step.</summary>
    /// <remarks>
    /// The statistics behind the PNG plots, as numbers: per estimator and step, the mean over the seeds that recorded
    /// the step, its standard error (sample standard deviation / sqrt(seeds); null with one seed) and the number of
    /// seeds. Values are in the axis units of the metric's definition (metric.scale): a linear metric as stored; a
    /// log metric as log10 of its values; a naturalLog metric (stored as ln) rescaled to log10. The response's axis
    /// says which ("linear" or "log10"). NaN values (a diverged run) and, in log10 units, values that are not
    /// positive are left out. With maxPoints, runs are thinned onto shared steps first (as by the metrics route)
    /// when any has more points. afterStep keeps only later steps; a step's band can still change while a slower
    /// seed has not reached it, so re-read from the smallest last step the runs have recorded. The ETag changes when
    /// a run stores a new point of the metric (If-None-Match gives 304). 404 for an unknown comparison; 400 for a
    /// metric its task does not record.
    /// </remarks>
    /// <param name="id">The comparison.</param>
    /// <param name="metric">Metric name, one of the comparison's task's metrics (GET /api/v1/tasks), e.g. loss or grad_log_variance.</param>
    /// <param name="afterStep">Only steps larger than this.</param>
    /// <param name="maxPoints">At most this many points per run before the bands are taken; each run's first and last point are always kept.</param>
    /// <param name="http">For If-None-Match and the ETag.</param>
    /// <param name="db">Database.</param>
    /// <param name="cache">Thinned series already read.</param>
    /// <param name="cancellationToken">Request aborted.</param>
    public static async Task<Results<Ok<MetricBands>, NotModified, ProblemHttpResult, ValidationProblem>> GetAsync(
        Guid id,
        [MetricName] string? metric,
        int? afterStep,
        [Range(SeriesThinning.MinPoints, SeriesThinning.MaxPoints)] int? maxPoints,
        HttpContext http, PwgfDbContext db, ThinnedSeriesCache cache, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (SeriesThinning.Check(maxPoints) is { } outOfRange) errors["maxPoints"] = [outOfRange];
        var comparison = await ComparisonRuns.LoadAsync(db, id, cancellationToken);
        if (comparison is null) return ComparisonsApi.NotFound(id);
        var definition = metric is null ? null : comparison.Definition(metric);
        if (comparison.ProblemWithMetric(metric) is { } badName) errors["metric"] = [badName];
        else if (definition is null) errors["metric"] = [$"The task {comparison.Task} has no definition of '{RequestReading.Clip(metric!)}'."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors, title: "The bands request is not valid.");

        int after = afterStep ?? -1;
        var stamps = await comparison.StampsAsync(db, definition!.Name, after, cancellationToken);
        string known = comparison.Tag("comparison-bands", stamps, definition.Name, after, maxPoints);
        if (EntityTags.ClientHas(http.Request, known)) return new NotModified(known);

        var (series, shown) = await comparison.ReadThinnedAsync(db, cache, definition.Name, after, maxPoints, stamps, cancellationToken);
        var axis = MetricAxis.For(definition);
        var bands = SeedBands.Across(comparison.Estimators, comparison.Runs.Select((r, i) => (r.Estimator, series[i])).ToList(), axis.ToAxis);
        EntityTags.Stamp(http.Response, comparison.Tag("comparison-bands", shown, definition.Name, after, maxPoints));
        return TypedResults.Ok(new MetricBands(comparison.Id, MetricDescription.Of(definition), axis.Units, bands));
    }
}

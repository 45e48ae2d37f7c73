using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Pwgf.Api.Comparisons;
using Pwgf.Api.Hosting;
using Pwgf.Api.Hosting.OpenApi;
using Pwgf.Infrastructure;

namespace Pwgf.Api.Series;

/// <summary>GET /api/v1/comparisons/{id}/metrics: one metric of a whole comparison in one response, what a live chart polls.</summary>
public static class ComparisonMetrics
{
    /// <summary>One metric of every run of a comparison in one response, for live charts.</summary>
    /// <remarks>
    /// Every run's series of one metric, runs in request order, each with its estimator label and seed. Poll it
    /// cheaply: load once with maxPoints (say 500), then ask only for newer points with afterStep set to the smallest
    /// last step you hold over the runs (runs advance at different speeds; a point you already have comes back
    /// identical, so merge by step). Send the response's ETag back in If-None-Match: while no run has stored a new
    /// point of this metric, the answer is 304 with no body. With maxPoints, when any run has more points, every run
    /// is thinned onto the same evenly spaced step targets, so seeds keep the same steps and can be averaged step by
    /// step.
    /// </remarks>
    /// <param name="id">The comparison.</param>
    /// <param name="name">Metric name, one of the comparison's task's metrics (GET /api/v1/tasks), e.g. loss or test_neg_log_likelihood.</param>
    /// <param name="afterStep">Only points with a larger step, for every run (a polling cursor).</param>
    /// <param name="maxPoints">At most this many points per run; each run's first and last point are always kept.</param>
    /// <param name="http">For If-None-Match and the ETag.</param>
    /// <param name="db">Database.</param>
    /// <param name="cache">Thinned series already read.</param>
    /// <param name="cancellationToken">Request aborted.</param>
    public static async Task<Results<Ok<ComparisonMetricSeries>, NotModified, ProblemHttpResult, ValidationProblem>> GetAsync(
        Guid id,
        [MetricName] string? name,
        int? afterStep,
        [Range(SeriesThinning.MinPoints, SeriesThinning.MaxPoints)] int? maxPoints,
        HttpContext http, PwgfDbContext db, ThinnedSeriesCache cache, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (SeriesThinning.Check(maxPoints) is { } outOfRange) errors["maxPoints"] = [outOfRange];
        var comparison = await ComparisonRuns.LoadAsync(db, id, cancellationToken);
        if (comparison is null) return ComparisonsApi.NotFound(id);
        if (comparison.ProblemWithMetric(name) is { } badName) errors["name"] = [badName];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors, title: "The metrics request is not valid.");

        string metric = name!;
        int after = afterStep ?? -1;
        var stamps = await comparison.StampsAsync(db, metric, after, cancellationToken);
        string known = comparison.Tag("comparison-metrics", stamps, metric, after, maxPoints);
        if (EntityTags.ClientHas(http.Request, known)) return new NotModified(known);

        var (series, shown) = await comparison.ReadThinnedAsync(db, cache, metric, after, maxPoints, stamps, cancellationToken);
        EntityTags.Stamp(http.Response, comparison.Tag("comparison-metrics", shown, metric, after, maxPoints));
        var runs = comparison.Runs.Select((run, i) => new RunMetricSeries(run.Id, run.Estimator, run.Seed, series[i])).ToList();
        return TypedResults.Ok(new ComparisonMetricSeries(comparison.Id, metric, runs));
    }
}

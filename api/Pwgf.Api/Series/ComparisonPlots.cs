using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Pwgf.Api.Catalog;
using Pwgf.Api.Comparisons;
using Pwgf.Api.Hosting;
using Pwgf.Api.Hosting.OpenApi;
using Pwgf.Infrastructure;

namespace Pwgf.Api.Series;

/// <summary>GET /api/v1/comparisons/{id}/plots/{metric}.png: PNG plots of a comparison's metrics, for reports and papers.</summary>
public static class ComparisonPlots
{
    /// <summary>A PNG plot of one metric: per estimator the mean over seeds against the step, with a ± one standard error band.</summary>
    /// <remarks>
    /// Drawn with ScottPlot from every stored point of the metric. Each estimator gets a line (the mean over the seeds
    /// that recorded the step) and, with two or more seeds, a shaded band of ± one standard error (sample standard
    /// deviation / sqrt(seeds)). The title, axis label and scale come from the metric's definition (GET
    /// /api/v1/tasks): a log metric is drawn on a log scale, the mean and band taken over log10 of its values; a
    /// naturalLog metric (grad_log_variance stores ln of the variance) is rescaled to log10, not logged twice; ticks
    /// are labelled with the values they stand for. The same numbers are GET /api/v1/comparisons/{id}/bands. NaN
    /// values (a diverged run) and, on a log scale, values that are not positive are left out. The width and height parameters give their ranges and defaults. Carries an
    /// ETag that changes when a run stores a new point of the metric (If-None-Match gives 304). 404 for an unknown
    /// comparison, a metric the task does not record, or one with no points yet.
    /// </remarks>
    /// <param name="id">The comparison.</param>
    /// <param name="metric">Metric name, e.g. loss, grad_log_variance, test_neg_log_likelihood, encoder_grad_variance.</param>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="height">Image height in pixels.</param>
    /// <param name="http">For If-None-Match and the ETag.</param>
    /// <param name="db">Database.</param>
    /// <param name="cancellationToken">Request aborted.</param>
    public static async Task<Results<FileContentHttpResult, NotModified, ProblemHttpResult, ValidationProblem>> DrawAsync(
        Guid id,
        [MetricName] string metric,
        [Range(ComparisonPlot.MinWidth, ComparisonPlot.MaxWidth), DefaultValue(ComparisonPlot.DefaultWidth)] int? width,
        [Range(ComparisonPlot.MinHeight, ComparisonPlot.MaxHeight), DefaultValue(ComparisonPlot.DefaultHeight)] int? height,
        HttpContext http, PwgfDbContext db, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (width is < ComparisonPlot.MinWidth or > ComparisonPlot.MaxWidth)
        {
            errors["width"] = [$"Must be between {ComparisonPlot.MinWidth} and {ComparisonPlot.MaxWidth} pixels."];
        }
        if (height is < ComparisonPlot.MinHeight or > ComparisonPlot.MaxHeight)
        {
            errors["height"] = [$"Must be between {ComparisonPlot.MinHeight} and {ComparisonPlot.MaxHeight} pixels."];
        }
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors, title: "The plot request is not valid.");
        int pixelsWide = width ?? ComparisonPlot.DefaultWidth;
        int pixelsHigh = height ?? ComparisonPlot.DefaultHeight;

        var comparison = await ComparisonRuns.LoadAsync(db, id, cancellationToken);
        if (comparison is null) return ComparisonsApi.NotFound(id);
        if (comparison.ProblemWithMetric(metric) is { } badName)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such metric.", detail: badName);
        }
        if (comparison.Definition(metric) is not { } definition)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such metric.",
                detail: $"The task {comparison.Task} has no definition of '{RequestReading.Clip(metric)}'.");
        }

        var stamps = await comparison.StampsAsync(db, metric, -1, cancellationToken);
        if (stamps.All(s => s.Points == 0)) return NoPoints(metric);
        string known = comparison.Tag("comparison-plot", stamps, metric, pixelsWide, pixelsHigh);
        if (EntityTags.ClientHas(http.Request, known)) return new NotModified(known);

        var series = await comparison.ReadSeriesAsync(db, metric, -1, cancellationToken);
        var axis = MetricAxis.For(definition);
        var bands = SeedBands.Across(comparison.Estimators, comparison.Runs.Select((r, i) => (r.Estimator, series[i])).ToList(), axis.ToAxis);
        if (bands.Count == 0) return NoPoints(metric);

        byte[] png = ComparisonPlot.Render($"{comparison.Task}: {definition.Title}", axis, bands, pixelsWide, pixelsHigh);
        EntityTags.Stamp(http.Response, comparison.Tag("comparison-plot", series.Select(SeriesStamp.Of), metric, pixelsWide, pixelsHigh));
        return TypedResults.Bytes(png, "image/png");
    }

    private static ProblemHttpResult NoPoints(string metric) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Nothing to plot yet.",
            detail: $"No run of this comparison has a plottable point of {metric} yet.");
}

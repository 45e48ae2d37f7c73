using System.Text.Json;
using Hangfire;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Pwgf.Api.Contracts;
using Pwgf.Api.Security;
using Pwgf.Infrastructure;
using Pwgf.Infrastructure.Entities;
using Pwgf.Training;

namespace Pwgf.Api.Apis;

public static class RunsApi
{
    public static RouteGroupBuilder MapRunsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/runs").WithTags("Runs");

        group.MapGet("/{id:guid}", GetAsync)
            .WithName("GetRun")
            .WithSummary("One run: estimator, seed, status and progress.");
        group.MapPost("/{id:guid}/cancel", CancelAsync)
            .RequireAuthorization(ApiSecurity.SubmitPolicy)
            .WithName("CancelRun")
            .WithSummary("Stop a run: a queued run never starts, a running one stops within seconds; both end Cancelled.");
        group.MapGet("/{id:guid}/metrics", GetMetricsAsync)
            .WithName("GetRunMetrics")
            .WithSummary("One metric series of a run, optionally only the points after a step (for polling).");
        return api;
    }

    public static async Task<Results<Ok<RunDetails>, ProblemHttpResult>> GetAsync(
        Guid id, PwgfDbContext db, CancellationToken cancellationToken)
    {
        var run = await db.Runs.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        return run is null ? RunNotFound(id) : TypedResults.Ok(ToDetails(run));
    }

    public static async Task<Results<Accepted<RunDetails>, ProblemHttpResult>> CancelAsync(
        Guid id, PwgfDbContext db, IBackgroundJobClient jobs, TimeProvider clock, CancellationToken cancellationToken)
    {
        var runs = await Cancellation.CancelAsync(db, jobs, clock, r => r.Id == id, cancellationToken);
        return runs.Count == 0 ? RunNotFound(id) : TypedResults.Accepted($"/api/v1/runs/{id}", ToDetails(runs[0]));
    }

    /// <param name="id">The run.</param>
    /// <param name="name">Metric name, e.g. loss, parameter_mean, grad_cosine, grad_relative_bias, grad_log_variance.</param>
    /// <param name="afterStep">Only points with a larger step (a polling cursor).</param>
    /// <param name="db">Database.</param>
    /// <param name="cancellationToken">Request aborted.</param>
    public static async Task<Results<Ok<MetricSeries>, ProblemHttpResult, ValidationProblem>> GetMetricsAsync(
        Guid id, string? name, int? afterStep, PwgfDbContext db, CancellationToken cancellationToken)
    {
        if (!await db.Runs.AnyAsync(r => r.Id == id, cancellationToken)) return RunNotFound(id);
        if (string.IsNullOrWhiteSpace(name))
        {
            var names = await db.Metrics.Where(m => m.RunId == id).Select(m => m.Name).Distinct().OrderBy(n => n).ToListAsync(cancellationToken);
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["name"] = [names.Count == 0 ? "Required: a metric name." : $"Required: a metric name. This run has {string.Join(", ", names)}."],
            });
        }

        int after = afterStep ?? -1;
        var points = await db.Metrics
            .AsNoTracking()
            .Where(m => m.RunId == id && m.Name == name && m.Step > after)
            .OrderBy(m => m.Step)
            .Select(m => new MetricPointDto(m.Step, m.Value))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(new MetricSeries(name, points));
    }

    internal static RunDetails ToDetails(Run run)
    {
        var configuration = JsonSerializer.Deserialize<RunConfiguration>(run.Configuration, RunJson.Options)!;
        var manifest = run.Manifest is null ? null : JsonSerializer.Deserialize<RunManifest>(run.Manifest, RunJson.Options);
        return new RunDetails(run.Id, run.ComparisonId, run.Estimator, configuration.EstimatorParameters, run.Seed, run.ConfigHash,
            run.Status, run.Step, run.Steps, run.Attempts, run.Device, run.Error, run.CreatedAt, run.StartedAt, run.FinishedAt,
            manifest);
    }

    private static ProblemHttpResult RunNotFound(Guid id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such run.", detail: $"No run has id {id}.");
}

using System.Security.Claims;
using System.Text.Json;
using Hangfire;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Pwgf.Api.Hosting;
using Pwgf.Api.Hosting.OpenApi;
using Pwgf.Api.Keys;
using Pwgf.Api.Series;
using Pwgf.Infrastructure;
using Pwgf.Infrastructure.Entities;
using Pwgf.Training;

namespace Pwgf.Api.Runs;

/// <summary>
/// /api/v1/runs: one run of a comparison, its cancellation and its metric series (handler in Series/). Each
/// handler's XML comment is its entry in the OpenAPI document.
/// </summary>
public static class RunsApi
{
    public static readonly ApiTag Tag = new("Runs", "One training run of a comparison: its status, manifest, metric series and cancellation.");

    public static RouteGroupBuilder MapRunsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/runs").WithApiTag(Tag);

        group.MapGet("/{id:guid}", GetAsync).WithName("GetRun")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id:guid}/cancel", CancelAsync).WithName("CancelRun")
            .RequireAuthorization(ApiSecurity.SubmitPolicy)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id:guid}/metrics", RunMetrics.GetAsync).WithName("GetRunMetrics")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    /// <summary>One run: estimator, seed, status and progress.</summary>
    /// <remarks>
    /// Status (Queued, Running, then Succeeded, Failed or Cancelled), step of steps, attempts, device, error, times,
    /// the configuration hash and, once a worker has started it, the reproducibility manifest. The ETag is derived from
    /// the run row's version, so it changes with every progress report; with If-None-Match an unchanged run answers
    /// 304.
    /// </remarks>
    /// <param name="id">The run.</param>
    /// <param name="http">For If-None-Match and the ETag.</param>
    /// <param name="db">Database.</param>
    /// <param name="cancellationToken">Request aborted.</param>
    public static async Task<Results<Ok<RunDetails>, NotModified, ProblemHttpResult>> GetAsync(
        Guid id, HttpContext http, PwgfDbContext db, CancellationToken cancellationToken)
    {
        var run = await db.Runs.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (run is null) return NotFound(id);
        // Every change of a run (progress, status, manifest) rewrites its row and so its xmin.
        string tag = EntityTags.Of("run", [run.Id, run.Version, run.Status, run.Step]);
        if (EntityTags.ClientHas(http.Request, tag)) return new NotModified(tag);
        EntityTags.Stamp(http.Response, tag);
        return TypedResults.Ok(ToDetails(run));
    }

    /// <summary>Stop a run: a queued run never starts, a running one stops within seconds; both end Cancelled.</summary>
    /// <remarks>
    /// Needs a key with the submit scope. A finished run keeps its status; asking again changes nothing. Answers 202
    /// with the run. A submit key may cancel only the runs of comparisons it submitted (403 otherwise, and nothing
    /// changes); an admin key may cancel any.
    /// </remarks>
    /// <param name="id">The run.</param>
    /// <param name="user">The calling API key.</param>
    /// <param name="db">Database.</param>
    /// <param name="jobs">Hangfire client.</param>
    /// <param name="clock">Clock.</param>
    /// <param name="cancellationToken">Request aborted.</param>
    public static async Task<Results<Accepted<RunDetails>, ProblemHttpResult>> CancelAsync(
        Guid id, ClaimsPrincipal user, PwgfDbContext db, IBackgroundJobClient jobs, TimeProvider clock, CancellationToken cancellationToken)
    {
        var runs = await Cancellation.CancelAsync(db, jobs, clock, ApiCaller.Of(user), r => r.Id == id, cancellationToken);
        if (runs is null) return Cancellation.NotYours("run");
        return runs.Count == 0 ? NotFound(id) : TypedResults.Accepted($"/api/v1/runs/{id}", ToDetails(runs[0]));
    }

    internal static RunDetails ToDetails(Run run)
    {
        return new RunDetails(run.Id, run.ComparisonId, run.Estimator, run.Configuration.EstimatorParameters, run.Seed, run.ConfigHash,
            run.Status, run.Step, run.Steps, run.Attempts, run.Device, run.Error, run.CreatedAt, run.StartedAt, run.FinishedAt,
            run.Manifest, run.Configuration.EstimatorChoices);
    }

    internal static ProblemHttpResult NotFound(Guid id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such run.", detail: $"No run has id {id}.");
}

using System.Text.Json;
using Hangfire;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Pwgf.Api.Contracts;
using Pwgf.Api.Security;
using Pwgf.Api.Validation;
using Pwgf.Infrastructure;
using Pwgf.Training.Data;
using Pwgf.Infrastructure.Entities;
using Pwgf.Infrastructure.Jobs;

namespace Pwgf.Api.Apis;

public static class ComparisonsApi
{
    public static RouteGroupBuilder MapComparisonsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/comparisons").WithTags("Comparisons");

        group.MapPost("/", SubmitAsync)
            .RequireAuthorization(ApiSecurity.SubmitPolicy)
            .RequireRateLimiting(ApiSecurity.SubmissionLimit)
            .WithName("SubmitComparison")
            .WithSummary("Submit an estimator comparison: one run per estimator x seed, queued for the workers.");
        group.MapGet("/", ListAsync)
            .WithName("ListComparisons")
            .WithSummary("Comparisons, newest first, paged.");
        group.MapPost("/{id:guid}/cancel", CancelAsync)
            .RequireAuthorization(ApiSecurity.SubmitPolicy)
            .WithName("CancelComparison")
            .WithSummary("Stop every unfinished run of a comparison; queued runs never start, running ones stop within seconds.");
        group.MapGet("/{id:guid}", GetAsync)
            .WithName("GetComparison")
            .WithSummary("A comparison with its runs and a per-estimator summary across seeds.");
        return api;
    }

    /// <param name="request">The comparison.</param>
    /// <param name="idempotencyKey">Optional. Replaying a request with the same key and body returns the same
    /// comparison; the same key with another body is refused (422); a concurrent duplicate gets 409.</param>
    /// <param name="db">Database.</param>
    /// <param name="jobs">Hangfire client.</param>
    /// <param name="datasets">Which datasets this deployment has (a VAE on a missing one is refused).</param>
    /// <param name="clock">Clock.</param>
    /// <param name="cancellationToken">Request aborted.</param>
    public static async Task<Results<Accepted<ComparisonAccepted>, ValidationProblem, ProblemHttpResult>> SubmitAsync(
        SubmitComparisonRequest request,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        PwgfDbContext db,
        IBackgroundJobClient jobs,
        DatasetCatalog datasets,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (idempotencyKey is { Length: 0 or > 200 })
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["Idempotency-Key"] = ["Must be 1 to 200 characters."] });
        }
        var specification = ComparisonValidator.Validate(request, out var errors,
            dataset => datasets.Describe(dataset) is { Available: false } missing ? $"'{dataset}' is not installed here. {missing.Missing}" : null);
        if (specification is null) return TypedResults.ValidationProblem(errors, title: "The comparison is not valid.");

        var comparison = ComparisonFactory.Create(specification, idempotencyKey, clock.GetUtcNow());
        if (idempotencyKey is not null && await ReplayAsync(db, idempotencyKey, comparison.RequestHash, cancellationToken) is { } replay)
        {
            return replay;
        }

        db.Comparisons.Add(comparison);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException conflict) when (conflict.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "A request with this Idempotency-Key is in progress.",
                detail: "Another request with the same key was being stored at the same time; fetch it with the same key again.");
        }

        // Enqueued only once the runs are committed, so a job never looks for a run that is not there yet.
        var enqueued = comparison.Runs
            .Select(run => (run.Id, jobs.Enqueue<IRunJob>(job => job.ExecuteAsync(run.Id, CancellationToken.None))))
            .ToList();
        await db.AttachJobsAsync(enqueued, CancellationToken.None);

        return TypedResults.Accepted($"/api/v1/comparisons/{comparison.Id}", new ComparisonAccepted(comparison.Id, RunStatus.Queued));
    }

    /// <summary>The earlier comparison stored under this key: the same one again, or 422 if the body differs.</summary>
    private static async Task<Results<Accepted<ComparisonAccepted>, ValidationProblem, ProblemHttpResult>?> ReplayAsync(
        PwgfDbContext db, string idempotencyKey, string requestHash, CancellationToken cancellationToken)
    {
        var earlier = await db.Comparisons.AsNoTracking()
            .Where(c => c.IdempotencyKey == idempotencyKey)
            .Select(c => new { c.Id, c.RequestHash, Statuses = c.Runs.Select(r => r.Status).ToList() })
            .SingleOrDefaultAsync(cancellationToken);
        if (earlier is null) return null;
        if (earlier.RequestHash != requestHash)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Idempotency-Key reused with a different request.",
                detail: $"The key was first used for comparison {earlier.Id} with another body; use a new key for a new comparison.");
        }
        return TypedResults.Accepted($"/api/v1/comparisons/{earlier.Id}", new ComparisonAccepted(earlier.Id, RunStatusExtensions.Combine(earlier.Statuses)));
    }

    public static async Task<Results<Accepted<ComparisonAccepted>, ProblemHttpResult>> CancelAsync(
        Guid id, PwgfDbContext db, IBackgroundJobClient jobs, TimeProvider clock, CancellationToken cancellationToken)
    {
        var runs = await Cancellation.CancelAsync(db, jobs, clock, r => r.ComparisonId == id, cancellationToken);
        if (runs.Count == 0)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such comparison.", detail: $"No comparison has id {id}.");
        }
        var status = RunStatusExtensions.Combine(runs.Select(r => r.Status).ToList());
        return TypedResults.Accepted($"/api/v1/comparisons/{id}", new ComparisonAccepted(id, status));
    }

    public static async Task<Ok<PageOf<ComparisonListItem>>> ListAsync(
        PwgfDbContext db,
        CancellationToken cancellationToken,
        int page = 1,
        int pageSize = 20)
    {
        page = Math.Max(1, page);
        pageSize = Math.Clamp(pageSize, 1, 100);
        int total = await db.Comparisons.CountAsync(cancellationToken);
        var rows = await db.Comparisons
            .AsNoTracking()
            .OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id)
            .Skip((page - 1) * pageSize)
            .Take(pageSize)
            .Select(c => new
            {
                c.Id,
                c.Task,
                c.CreatedAt,
                Statuses = c.Runs.Select(r => r.Status).ToList(),
                StepsDone = c.Runs.Sum(r => (long)r.Step),
                StepsTotal = c.Runs.Sum(r => (long)r.Steps),
            })
            .ToListAsync(cancellationToken);

        var items = rows
            .Select(c => new ComparisonListItem(c.Id, c.Task, RunStatusExtensions.Combine(c.Statuses), c.CreatedAt,
                c.Statuses.Count, c.Statuses.Count(s => s.IsFinal()), c.StepsDone, c.StepsTotal))
            .ToList();
        return TypedResults.Ok(new PageOf<ComparisonListItem>(items, page, pageSize, total));
    }

    public static async Task<Results<Ok<ComparisonDetails>, ProblemHttpResult>> GetAsync(
        Guid id,
        PwgfDbContext db,
        CancellationToken cancellationToken)
    {
        var comparison = await db.Comparisons
            .AsNoTracking()
            .Include(c => c.Runs)
            .SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (comparison is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such comparison.", detail: $"No comparison has id {id}.");
        }

        var specification = JsonSerializer.Deserialize<ComparisonSpecification>(comparison.Specification, RunJson.Options)!;
        // Runs in the order the request listed them: estimator by estimator, seed by seed.
        var labels = specification.Estimators.Select(e => e.Label).ToList();
        var seeds = specification.Seeds.ToList();
        var runs = comparison.Runs
            .OrderBy(r => labels.IndexOf(r.Estimator)).ThenBy(r => seeds.IndexOf(r.Seed))
            .Select(RunsApi.ToDetails)
            .ToList();
        var summary = await ComparisonSummary.LoadAsync(db, comparison, labels, cancellationToken);

        return TypedResults.Ok(new ComparisonDetails(comparison.Id, comparison.Task,
            RunStatusExtensions.Combine(comparison.Runs.Select(r => r.Status).ToList()), comparison.CreatedAt,
            specification, runs, summary));
    }
}

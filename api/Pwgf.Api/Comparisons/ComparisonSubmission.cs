using System.Security.Claims;
using Hangfire;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Pwgf.Api.Keys;
using Pwgf.Infrastructure;
using Pwgf.Infrastructure.Entities;
using Pwgf.Infrastructure.Jobs;
using Pwgf.Training.Data;

namespace Pwgf.Api.Comparisons;

/// <summary>POST /api/v1/comparisons: validate, store the comparison and its runs, enqueue one job per run.</summary>
public static class ComparisonSubmission
{
    /// <summary>Submit an estimator comparison: one run per estimator x seed, queued for the workers.</summary>
    /// <remarks>
    /// Needs a key with the submit scope. The body names a task (GET /api/v1/tasks) and its options, the estimators
    /// (GET /api/v1/estimators: a name, or an object with the name and parameters), the seeds, the steps, the
    /// optimiser and how often to record metrics; omitted options take their defaults. Answers 202 with the
    /// comparison's Location; a 400 ValidationProblem names every bad field and stores nothing.
    ///
    /// Two examples: the Poisson toy, where pwgf settles at the true optimum and st at the target, and a Bernoulli
    /// VAE, e.g. {"task": "bernoulli-vae", "taskOptions": {"dataset": "fashion-mnist", "architecture": "linear"},
    /// "estimators": ["st", "disarm"], "seeds": [1, 2, 3], "steps": 2000} (the dataset must be installed here: GET
    /// /api/v1/datasets).
    ///
    /// Idempotency-Key: the same key and body from the same API key return the same comparison; the same key with
    /// another body gets 422; a concurrent duplicate 409. Idempotency keys are scoped per API key: another API key
    /// using the same value gets a comparison of its own. The comparison records the submitting key's id
    /// (createdByKey), and only that key or an admin key may cancel it. Submissions per key are rate limited (429).
    /// </remarks>
    /// <param name="request">The comparison.</param>
    /// <param name="idempotencyKey">Optional, scoped to the API key. Replaying a request with the same key and body
    /// returns the same comparison; the same key with another body is refused (422); a concurrent duplicate gets
    /// 409.</param>
    /// <param name="user">The submitting API key, recorded as the comparison's owner.</param>
    /// <param name="db">Database.</param>
    /// <param name="jobs">Hangfire client.</param>
    /// <param name="datasets">Which datasets this deployment has (a VAE on a missing one is refused).</param>
    /// <param name="clock">Clock.</param>
    /// <param name="cancellationToken">Request aborted.</param>
    public static async Task<Results<Accepted<ComparisonAccepted>, ValidationProblem, ProblemHttpResult>> SubmitAsync(
        SubmitComparisonRequest request,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        ClaimsPrincipal user,
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

        var owner = ApiCaller.Of(user).KeyId;
        var comparison = ComparisonFactory.Create(specification, owner, idempotencyKey, clock.GetUtcNow());
        if (idempotencyKey is not null && await ReplayAsync(db, owner, idempotencyKey, comparison.RequestHash, cancellationToken) is { } replay)
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

        // Enqueued only once the runs are committed, so a job never looks for a run that is not there yet. Should the
        // process die or the enqueue fail before the job ids are stored, the workers' reaper adopts the jobless runs.
        var enqueued = comparison.Runs
            .Select(run => (run.Id, jobs.Enqueue<IRunJob>(job => job.ExecuteAsync(run.Id, CancellationToken.None))))
            .ToList();
        await db.AttachJobsAsync(enqueued, CancellationToken.None);

        return TypedResults.Accepted($"/api/v1/comparisons/{comparison.Id}", new ComparisonAccepted(comparison.Id, RunStatus.Queued));
    }

    /// <summary>
    /// The earlier comparison this API key stored under this Idempotency-Key: the same one again, or 422 if the body
    /// differs. Other API keys' comparisons are never looked at, so their ids do not leak.
    /// </summary>
    private static async Task<Results<Accepted<ComparisonAccepted>, ValidationProblem, ProblemHttpResult>?> ReplayAsync(
        PwgfDbContext db, Guid owner, string idempotencyKey, string requestHash, CancellationToken cancellationToken)
    {
        var earlier = await db.Comparisons.AsNoTracking()
            .Where(c => c.CreatedByKey == owner && c.IdempotencyKey == idempotencyKey)
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
}

using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using System.Text.Json;
using Hangfire;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Pwgf.Api.Hosting;
using Pwgf.Api.Hosting.OpenApi;
using Pwgf.Api.Keys;
using Pwgf.Api.Runs;
using Pwgf.Api.Series;
using Pwgf.Infrastructure;
using Pwgf.Infrastructure.Entities;

namespace Pwgf.Api.Comparisons;

/// <summary>
/// /api/v1/comparisons: submitting, listing, reading and cancelling comparisons, and the comparison-wide views of
/// their metrics (handlers in Series/). Each handler's XML comment is its entry in the OpenAPI document.
/// </summary>
public static class ComparisonsApi
{
    public const int MaxPageSize = 100;

    /// <summary>Far beyond any real list, and small enough that (page - 1) x pageSize stays a valid row offset.</summary>
    public const int MaxPage = 1_000_000;

    public static readonly ApiTag Tag = new("Comparisons",
        "Estimator comparisons: one run per estimator x seed on one task; their progress, summaries, metric series and plots.");

    public static RouteGroupBuilder MapComparisonsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/comparisons").WithApiTag(Tag);

        group.MapPost("/", ComparisonSubmission.SubmitAsync).WithName("SubmitComparison")
            .RequireAuthorization(ApiSecurity.SubmitPolicy)
            .RequireRateLimiting(ApiSecurity.SubmissionLimit)
            .WithRequestExamples(ComparisonExamples.PoissonToy, ComparisonExamples.BernoulliVae)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        group.MapGet("/", ListAsync).WithName("ListComparisons");
        group.MapGet("/{id:guid}", GetAsync).WithName("GetComparison")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id:guid}/cancel", CancelAsync).WithName("CancelComparison")
            .RequireAuthorization(ApiSecurity.SubmitPolicy)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id:guid}/metrics", ComparisonMetrics.GetAsync).WithName("GetComparisonMetrics")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id:guid}/bands", ComparisonBands.GetAsync).WithName("GetComparisonBands")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id:guid}/plots/{metric}.png", ComparisonPlots.DrawAsync).WithName("PlotComparisonMetric")
            .Produces(StatusCodes.Status200OK, typeof(Stream), "image/png")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    /// <summary>Comparisons, newest first, paged.</summary>
    /// <remarks>
    /// Each item has the status combined from its runs (Queued, Running, then Succeeded, Failed or Cancelled once all
    /// are final), its number of runs and how many of them are final: enough for a progress bar. A page past the last
    /// is empty.
    /// </remarks>
    /// <param name="db">Database.</param>
    /// <param name="cancellationToken">Request aborted.</param>
    /// <param name="page">Page number, from 1 (smaller numbers mean 1); larger than the maximum is a 400.</param>
    /// <param name="pageSize">Comparisons per page, 1 to 100; values outside are clamped.</param>
    public static async Task<Results<Ok<PageOf<ComparisonListItem>>, ValidationProblem>> ListAsync(
        PwgfDbContext db,
        CancellationToken cancellationToken,
        [Range(1, MaxPage)] int page = 1,
        [Range(1, MaxPageSize)] int pageSize = 20)
    {
        if (page > MaxPage)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["page"] = [$"Must be at most {MaxPage}."] },
                title: "The page is not valid.");
        }
        page = Math.Max(1, page);
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
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

    /// <summary>A comparison with its runs and a per-estimator summary across seeds.</summary>
    /// <remarks>
    /// The normalised specification (defaults filled in), every run in request order (estimator by estimator, seed by
    /// seed) with status and progress, and per estimator the mean and standard error of the task's score metric at the
    /// runs' last step, a rank, and for VAEs the score at each run's best validation step. The ETag changes whenever
    /// any run changes (progress, status, new metrics); with If-None-Match an unchanged comparison answers 304 after
    /// one small query.
    /// </remarks>
    /// <param name="id">The comparison.</param>
    /// <param name="http">For If-None-Match and the ETag.</param>
    /// <param name="db">Database.</param>
    /// <param name="cancellationToken">Request aborted.</param>
    public static async Task<Results<Ok<ComparisonDetails>, NotModified, ProblemHttpResult>> GetAsync(
        Guid id,
        HttpContext http,
        PwgfDbContext db,
        CancellationToken cancellationToken)
    {
        // The comparison row never changes, and a worker stores metrics in the transaction that updates its run, so
        // the runs' xmin values cover everything in the response: compare them before reading anything else.
        var versions = await db.Runs.Where(r => r.ComparisonId == id).Select(r => new { r.Id, r.Version }).ToListAsync(cancellationToken);
        string known = DetailsTag(id, versions.Select(r => (r.Id, r.Version)));
        if (versions.Count > 0 && EntityTags.ClientHas(http.Request, known)) return new NotModified(known);

        var comparison = await db.Comparisons
            .AsNoTracking()
            .Include(c => c.Runs)
            .SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (comparison is null) return NotFound(id);

        var specification = comparison.Specification;
        var labels = specification.Estimators.Select(e => e.Label).ToList();
        var runs = ComparisonRuns.InRequestOrder(comparison.Runs, specification, r => r.Estimator, r => r.Seed)
            .Select(RunsApi.ToDetails)
            .ToList();
        var summary = await ComparisonSummary.LoadAsync(db, comparison, labels, cancellationToken);

        EntityTags.Stamp(http.Response, DetailsTag(comparison.Id, comparison.Runs.Select(r => (r.Id, r.Version))));
        return TypedResults.Ok(new ComparisonDetails(comparison.Id, comparison.Task,
            RunStatusExtensions.Combine(comparison.Runs.Select(r => r.Status).ToList()), comparison.CreatedAt,
            specification, runs, summary.Estimators, summary.Pairwise, comparison.CreatedByKey));
    }

    /// <summary>Stop every unfinished run of a comparison; queued runs never start, running ones stop within seconds.</summary>
    /// <remarks>
    /// Needs a key with the submit scope. Queued runs end Cancelled at once; running ones are asked to stop and end
    /// Cancelled at their next flush (about a second); finished runs keep their status. Answers 202 with the
    /// comparison's combined status; asking again changes nothing. A submit key may cancel only the comparisons it
    /// submitted (403 otherwise, and nothing changes); an admin key may cancel any.
    /// </remarks>
    /// <param name="id">The comparison.</param>
    /// <param name="user">The calling API key.</param>
    /// <param name="db">Database.</param>
    /// <param name="jobs">Hangfire client.</param>
    /// <param name="clock">Clock.</param>
    /// <param name="cancellationToken">Request aborted.</param>
    public static async Task<Results<Accepted<ComparisonAccepted>, ProblemHttpResult>> CancelAsync(
        Guid id, ClaimsPrincipal user, PwgfDbContext db, IBackgroundJobClient jobs, TimeProvider clock, CancellationToken cancellationToken)
    {
        var runs = await Cancellation.CancelAsync(db, jobs, clock, ApiCaller.Of(user), r => r.ComparisonId == id, cancellationToken);
        if (runs is null) return Cancellation.NotYours("comparison");
        if (runs.Count == 0) return NotFound(id);
        var status = RunStatusExtensions.Combine(runs.Select(r => r.Status).ToList());
        return TypedResults.Accepted($"/api/v1/comparisons/{id}", new ComparisonAccepted(id, status));
    }

    internal static ProblemHttpResult NotFound(Guid id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such comparison.", detail: $"No comparison has id {id}.");

    private static string DetailsTag(Guid id, IEnumerable<(Guid Id, uint Version)> runs) =>
        EntityTags.Of("comparison", [id, .. runs.OrderBy(r => r.Id).Select(r => $"{r.Id}:{r.Version}")]);
}

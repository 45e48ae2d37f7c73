using System.Text.Json;
using Hangfire;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Pwgf.Api.Contracts;
using Pwgf.Api.Validation;
using Pwgf.Infrastructure;
using Pwgf.Infrastructure.Entities;
using Pwgf.Infrastructure.Jobs;
using Pwgf.Training;

namespace Pwgf.Api.Apis;

public static class ComparisonsApi
{
    public static RouteGroupBuilder MapComparisonsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/comparisons").WithTags("Comparisons");

        group.MapPost("/", SubmitAsync)
            .WithName("SubmitComparison")
            .WithSummary("Submit an estimator comparison: one run per estimator x seed, queued for the workers.");
        group.MapGet("/", ListAsync)
            .WithName("ListComparisons")
            .WithSummary("Comparisons, newest first, paged.");
        group.MapPost("/{id:guid}/cancel", CancelAsync)
            .WithName("CancelComparison")
            .WithSummary("Stop every unfinished run of a comparison; queued runs never start, running ones stop within seconds.");
        group.MapGet("/{id:guid}", GetAsync)
            .WithName("GetComparison")
            .WithSummary("A comparison with its runs and a per-estimator summary across seeds.");
        return api;
    }

    public static async Task<Results<Accepted<ComparisonAccepted>, ValidationProblem>> SubmitAsync(
        SubmitComparisonRequest request,
        PwgfDbContext db,
        IBackgroundJobClient jobs,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var specification = ComparisonValidator.Validate(request, out var errors);
        if (specification is null) return TypedResults.ValidationProblem(errors, title: "The comparison is not valid.");

        var now = clock.GetUtcNow();
        var comparison = new Comparison(specification.Task, JsonSerializer.Serialize(specification, RunJson.Options), now);
        foreach (var estimator in specification.Estimators)
        {
            foreach (long seed in specification.Seeds)
            {
                var configuration = new RunConfiguration(
                    specification.Task, specification.TaskOptions, estimator.Name, estimator.Parameters, seed,
                    specification.Steps, new OptimizerConfiguration(specification.Optimizer.Name, specification.Optimizer.LearningRate),
                    specification.EvalEvery, specification.TaskLists);
                comparison.Runs.Add(new Run(comparison.Id, estimator.Label, seed, specification.Steps,
                    JsonSerializer.Serialize(configuration, RunJson.Options), now));
            }
        }
        db.Comparisons.Add(comparison);
        await db.SaveChangesAsync(cancellationToken);

        // Enqueued only once the runs are committed, so a job never looks for a run that is not there yet.
        var enqueued = comparison.Runs
            .Select(run => (run.Id, jobs.Enqueue<IRunJob>(job => job.ExecuteAsync(run.Id, CancellationToken.None))))
            .ToList();
        await db.AttachJobsAsync(enqueued, CancellationToken.None);

        return TypedResults.Accepted($"/api/v1/comparisons/{comparison.Id}", new ComparisonAccepted(comparison.Id, RunStatus.Queued));
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
            .Select(c => new { c.Id, c.Task, c.CreatedAt, Statuses = c.Runs.Select(r => r.Status).ToList() })
            .ToListAsync(cancellationToken);

        var items = rows
            .Select(c => new ComparisonListItem(c.Id, c.Task, RunStatusExtensions.Combine(c.Statuses), c.CreatedAt,
                c.Statuses.Count, c.Statuses.Count(s => s.IsFinal())))
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

        var runIds = comparison.Runs.Select(r => r.Id).ToList();
        var finalLoss = await db.Metrics
            .AsNoTracking()
            .Where(m => runIds.Contains(m.RunId) && m.Name == "loss")
            .GroupBy(m => m.RunId)
            .Select(g => g.OrderByDescending(m => m.Step).First())
            .ToDictionaryAsync(m => m.RunId, m => m.Value, cancellationToken);

        var specification = JsonSerializer.Deserialize<ComparisonSpecification>(comparison.Specification, RunJson.Options)!;
        // Runs in the order the request listed them: estimator by estimator, seed by seed.
        var labels = specification.Estimators.Select(e => e.Label).ToList();
        var seeds = specification.Seeds.ToList();
        var runs = comparison.Runs
            .OrderBy(r => labels.IndexOf(r.Estimator)).ThenBy(r => seeds.IndexOf(r.Seed))
            .Select(RunsApi.ToDetails)
            .ToList();
        var summary = specification.Estimators
            .Select(e => Summarise(e.Label, comparison.Runs.Where(r => r.Estimator == e.Label).ToList(), finalLoss))
            .ToList();

        return TypedResults.Ok(new ComparisonDetails(comparison.Id, comparison.Task,
            RunStatusExtensions.Combine(comparison.Runs.Select(r => r.Status).ToList()), comparison.CreatedAt,
            specification, runs, summary));
    }

    /// <summary>Mean and standard error (sample standard deviation / sqrt n) of the succeeded runs' final loss.</summary>
    private static EstimatorSummary Summarise(string label, List<Run> runs, Dictionary<Guid, double> finalLoss)
    {
        var losses = runs.Where(r => r.Status == RunStatus.Succeeded && finalLoss.ContainsKey(r.Id))
            .Select(r => finalLoss[r.Id])
            .ToList();
        double? mean = losses.Count > 0 ? losses.Average() : null;
        double? standardError = losses.Count > 1
            ? Math.Sqrt(losses.Sum(x => (x - mean!.Value) * (x - mean.Value)) / (losses.Count - 1) / losses.Count)
            : null;
        return new EstimatorSummary(label, runs.Count, runs.Count(r => r.Status == RunStatus.Succeeded), mean, standardError);
    }
}

using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Pwgf.Infrastructure;
using Pwgf.Infrastructure.Entities;
using Pwgf.Infrastructure.Jobs;

namespace Pwgf.Worker;

/// <summary>
/// Makes sure every unfinished run has something that will train it. Runs whose worker stopped reporting (killed
/// process, lost machine) would otherwise sit in Processing until Hangfire's invisibility timeout: each goes back to
/// the queue with a new job and resumes from its last checkpoint, until it has used its attempts; then it is failed
/// with the reason. Queued runs that no live job will ever train are adopted (see <see cref="FindJoblessAsync"/>).
/// Every worker runs a reaper; the run's version (xmin) makes sure only one of them acts on a given run.
/// </summary>
public sealed partial class LeaseReaper(
    IServiceScopeFactory scopes,
    IBackgroundJobClient jobs,
    TimeProvider clock,
    IOptions<WorkerOptions> options,
    ILogger<LeaseReaper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(options.Value.ReaperInterval, clock, stoppingToken);
            try
            {
                await ReapAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogReapFailed(exception); // the database may be restarting; try again next round
            }
        }
    }

    public async Task ReapAsync(CancellationToken cancellationToken)
    {
        var cutoff = clock.GetUtcNow() - options.Value.LeaseTimeout;
        List<Guid> orphans;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PwgfDbContext>();
            orphans = await db.Runs
                .Where(r => r.Status == RunStatus.Running && r.HeartbeatAt < cutoff)
                .Select(r => r.Id)
                .ToListAsync(cancellationToken);
        }
        foreach (var runId in orphans) await ReclaimAsync(runId, cutoff, cancellationToken);

        foreach (var jobless in await FindJoblessAsync(cancellationToken)) await AdoptAsync(jobless, cancellationToken);
    }

    /// <summary>
    /// One orphan, in a unit of work of its own: a conflict on it (its worker renewed the lease, or another reaper
    /// acted first) leaves the other orphans alone. The requeue and its new job id commit together, so an enqueue
    /// that fails leaves the run an orphan for the next round rather than Queued without a job.
    /// </summary>
    private async Task ReclaimAsync(Guid runId, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PwgfDbContext>();
        var run = await db.Runs.SingleOrDefaultAsync(
            r => r.Id == runId && r.Status == RunStatus.Running && r.HeartbeatAt < cutoff, cancellationToken);
        if (run is null) return; // reported, finished or reclaimed since the query

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (run.Attempts >= options.Value.MaxAttempts)
        {
            run.Fail($"Its worker stopped reporting {run.Attempts} times (lease timeout {options.Value.LeaseTimeout}); giving up.", clock.GetUtcNow());
        }
        else
        {
            run.Requeue();
        }
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return; // the worker renewed its lease, or another reaper acted first
        }

        if (run.Status == RunStatus.Queued)
        {
            string job = jobs.Enqueue<IRunJob>(j => j.ExecuteAsync(run.Id, CancellationToken.None));
            await db.AttachJobsAsync([(run.Id, job)], cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            LogRequeued(run.Id, run.Attempts);
        }
        else
        {
            await transaction.CommitAsync(cancellationToken);
            LogGaveUp(run.Id, run.Attempts);
        }
    }

    /// <summary>
    /// Queued runs that no job will train: a submission whose enqueue never happened (the API crashed or the enqueue
    /// failed after the runs were committed) leaves no job id, once <see cref="WorkerOptions.JoblessGrace"/> has
    /// passed; a job row that Hangfire no longer has (purged, removed by hand); a job that ended without training
    /// its run (it failed before it could start it, or was deleted in the job dashboard). Times are the database's.
    /// </summary>
    private async Task<List<JoblessRun>> FindJoblessAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PwgfDbContext>();
        return await db.Database.SqlQueryRaw<JoblessRun>(
            """
            SELECT r.id AS run_id, r.job_id AS job_id, r.xmin::text AS version
            FROM pwgf.runs r LEFT JOIN hangfire.job j ON j.id = r.job_id::bigint
            WHERE r.status = 'Queued'
              AND (r.job_id IS NULL AND r.created_at < now() - @grace
                   OR r.job_id IS NOT NULL AND (j.id IS NULL OR j.statename IN ('Succeeded', 'Failed', 'Deleted')))
            """,
            new NpgsqlParameter("grace", options.Value.JoblessGrace)).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Gives a jobless run a new job. The first update locks the run and succeeds only if the run is as it was found
    /// (same xmin): a second reaper waits on the lock and then finds the version moved, so it enqueues nothing. A
    /// failed enqueue rolls back and leaves the run for the next round.
    /// </summary>
    private async Task AdoptAsync(JoblessRun jobless, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PwgfDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        int claimed = await db.Database.ExecuteSqlRawAsync(
            "UPDATE pwgf.runs SET job_id = job_id WHERE id = @run AND xmin::text = @version AND status = 'Queued'",
            [new NpgsqlParameter("run", jobless.RunId), new NpgsqlParameter("version", jobless.Version)],
            cancellationToken);
        if (claimed == 0) return; // changed since it was found: started, cancelled, or adopted by another reaper

        string job = jobs.Enqueue<IRunJob>(j => j.ExecuteAsync(jobless.RunId, CancellationToken.None));
        await db.AttachJobsAsync([(jobless.RunId, job)], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        LogAdopted(jobless.RunId, jobless.JobId ?? "(none)", job);
    }

    private sealed record JoblessRun(Guid RunId, string? JobId, string Version);

    [LoggerMessage(LogLevel.Warning, "Run {RunId} was queued but its job {OldJob} would never train it (never enqueued, vanished or ended); queued again as job {Job}")]
    private partial void LogAdopted(Guid runId, string oldJob, string job);

    [LoggerMessage(LogLevel.Warning, "Run {RunId} lost its worker; queued again (attempts so far: {Attempts})")]
    private partial void LogRequeued(Guid runId, int attempts);

    [LoggerMessage(LogLevel.Error, "Run {RunId} lost its worker {Attempts} times; failed")]
    private partial void LogGaveUp(Guid runId, int attempts);

    [LoggerMessage(LogLevel.Warning, "Looking for orphaned runs failed")]
    private partial void LogReapFailed(Exception exception);
}

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
/// Finds runs whose worker stopped reporting (killed process, lost machine): Hangfire alone would leave their jobs
/// in Processing until its invisibility timeout. Each such run goes back to the queue with a new job, and resumes
/// from its last checkpoint, until it has used its attempts; then it is failed with the reason. Every worker runs
/// a reaper; the run's version (xmin) makes sure only one of them acts on a given run. The reaper also finds queued
/// runs whose job ended without training them (see <see cref="RequeueStrandedAsync"/>).
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
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PwgfDbContext>();
        var now = clock.GetUtcNow();
        var cutoff = now - options.Value.LeaseTimeout;
        var orphans = await db.Runs
            .Where(r => r.Status == RunStatus.Running && r.HeartbeatAt < cutoff)
            .ToListAsync(cancellationToken);

        foreach (var run in orphans)
        {
            if (run.Attempts >= options.Value.MaxAttempts)
            {
                run.Fail($"Its worker stopped reporting {run.Attempts} times (lease timeout {options.Value.LeaseTimeout}); giving up.", now);
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
                db.ChangeTracker.Clear(); // the worker renewed its lease, or another reaper acted first
                continue;
            }

            if (run.Status == RunStatus.Queued)
            {
                string job = jobs.Enqueue<IRunJob>(j => j.ExecuteAsync(run.Id, CancellationToken.None));
                await db.AttachJobsAsync([(run.Id, job)], cancellationToken);
                LogRequeued(run.Id, run.Attempts);
            }
            else
            {
                LogGaveUp(run.Id, run.Attempts);
            }
        }

        await RequeueStrandedAsync(db, cancellationToken);
    }

    /// <summary>
    /// Queued runs whose Hangfire job has ended (succeeded, failed or deleted) without training them: a job that
    /// failed before it could start its run (the database was unreachable as it began), or one deleted in the job
    /// dashboard. No job would ever train such a run, so it gets a new one. Of several reapers, only the one whose
    /// update still finds the old job id attaches its job; the others delete theirs.
    /// </summary>
    private async Task RequeueStrandedAsync(PwgfDbContext db, CancellationToken cancellationToken)
    {
        var stranded = await db.Database.SqlQueryRaw<StrandedRun>(
            """
            SELECT r.id AS run_id, r.job_id AS job_id
            FROM pwgf.runs r JOIN hangfire.job j ON j.id = r.job_id::bigint
            WHERE r.status = 'Queued' AND j.statename IN ('Succeeded', 'Failed', 'Deleted')
            """).ToListAsync(cancellationToken);

        foreach (var (runId, oldJob) in stranded)
        {
            string job = jobs.Enqueue<IRunJob>(j => j.ExecuteAsync(runId, CancellationToken.None));
            int attached = await db.Database.ExecuteSqlRawAsync(
                "UPDATE pwgf.runs SET job_id = @job WHERE id = @run AND job_id = @old AND status = 'Queued'",
                [new NpgsqlParameter("job", job), new NpgsqlParameter("run", runId), new NpgsqlParameter("old", oldJob)],
                cancellationToken);
            if (attached == 0)
            {
                jobs.Delete(job); // another reaper got there first, or the run moved on
                continue;
            }
            LogStranded(runId, oldJob, job);
        }
    }

    private sealed record StrandedRun(Guid RunId, string JobId);

    [LoggerMessage(LogLevel.Warning, "Run {RunId} was queued but its job {OldJob} had ended without training it; queued again as job {Job}")]
    private partial void LogStranded(Guid runId, string oldJob, string job);

    [LoggerMessage(LogLevel.Warning, "Run {RunId} lost its worker; queued again (attempts so far: {Attempts})")]
    private partial void LogRequeued(Guid runId, int attempts);

    [LoggerMessage(LogLevel.Error, "Run {RunId} lost its worker {Attempts} times; failed")]
    private partial void LogGaveUp(Guid runId, int attempts);

    [LoggerMessage(LogLevel.Warning, "Looking for orphaned runs failed")]
    private partial void LogReapFailed(Exception exception);
}

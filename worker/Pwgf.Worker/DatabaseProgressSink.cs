using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;
using Pwgf.Infrastructure;
using Pwgf.Infrastructure.Entities;
using Pwgf.Infrastructure.Telemetry;
using Pwgf.Training;

namespace Pwgf.Worker;

/// <summary>The run's lease went to another execution (the reaper gave up on this one).</summary>
public sealed class LeaseLostException(Guid runId) : Exception($"Run {runId} is no longer leased to this worker.");

/// <summary>
/// Writes a run's progress to PostgreSQL. Each report stores its metric batch and the run's step (its heartbeat) in
/// one transaction. The run row carries a version (xmin): when someone else changed it since (a cancel request,
/// the reaper), the save fails, the run is reloaded, and the batch is written again (metric writes are idempotent);
/// a pending cancel request then tells the loop to stop, a lost lease ends this execution. While the database is
/// unreachable (a restart), reports are retried for up to <see cref="Outage"/>, so training pauses instead of failing.
/// </summary>
public sealed partial class DatabaseProgressSink(
    PwgfDbContext db, Run run, string owner, PwgfMetrics metrics, TimeProvider clock, ILogger logger) : IProgressSink
{
    public static readonly TimeSpan Outage = TimeSpan.FromMinutes(2);
    private const int ConflictAttempts = 3;

    private readonly KeyValuePair<string, object?> _estimator = new("estimator", run.Estimator);
    private int _reportedStep = run.Step;
    private RunManifest? _manifest;
    private long _reportedAt = clock.GetTimestamp();

    public async Task<bool> ReportAsync(int step, IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken)
    {
        long started = clock.GetTimestamp();
        bool goOn = await WriteProgressAsync(step, points, cancellationToken);
        long finished = clock.GetTimestamp();

        metrics.MetricWriteDuration.Record(clock.GetElapsedTime(started, finished).TotalMilliseconds, _estimator);
        metrics.MetricPointsWritten.Add(points.Count, _estimator);
        metrics.StepsCompleted.Add(step - _reportedStep, _estimator);
        double seconds = clock.GetElapsedTime(_reportedAt, started).TotalSeconds;
        if (seconds > 0) metrics.StepRate.Record((step - _reportedStep) / seconds, _estimator);
        (_reportedStep, _reportedAt) = (step, finished);
        return goOn;
    }

    /// <summary>Stores <paramref name="manifest"/> as the run's manifest with the next report (and after any reload).</summary>
    public void ReviseManifest(RunManifest manifest) => _manifest = manifest;

    private Task<bool> WriteProgressAsync(int step, IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken) =>
        WhileDatabaseIsDownAsync(async () =>
        {
            for (int attempt = 1; ; attempt++)
            {
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                await db.WriteAsync(run.Id, points, cancellationToken);
                if (_manifest is not null) run.ReviseManifest(_manifest);
                run.ReportProgress(step, clock.GetUtcNow());
                try
                {
                    await db.SaveChangesAsync(cancellationToken);
                    await transaction.CommitAsync(cancellationToken);
                    return run.CancelRequestedAt is null;
                }
                catch (DbUpdateConcurrencyException) when (attempt < ConflictAttempts)
                {
                    await transaction.RollbackAsync(cancellationToken);
                    await ReloadAsync(cancellationToken);
                }
            }
        }, cancellationToken);

    public Task CheckpointAsync(int step, byte[] state, CancellationToken cancellationToken) =>
        WhileDatabaseIsDownAsync(() => db.SaveCheckpointAsync(run.Id, step, state, clock.GetUtcNow(), cancellationToken), cancellationToken);

    private async Task ReloadAsync(CancellationToken cancellationToken)
    {
        await db.Entry(run).ReloadAsync(cancellationToken);
        if (run.Status != RunStatus.Running || run.LeaseOwner != owner) throw new LeaseLostException(run.Id);
    }

    private async Task<T> WhileDatabaseIsDownAsync<T>(Func<Task<T>> write, CancellationToken cancellationToken)
    {
        var deadline = clock.GetUtcNow() + Outage;
        while (true)
        {
            try
            {
                return await write();
            }
            catch (Exception exception) when (IsConnectionFailure(exception) && clock.GetUtcNow() < deadline)
            {
                LogRetrying(run.Id, exception.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), clock, cancellationToken);
                // Whatever this context believed about the run may be stale once the database is back.
                await ReloadAsyncWhenPossible(cancellationToken);
            }
        }
    }

    private async Task ReloadAsyncWhenPossible(CancellationToken cancellationToken)
    {
        try
        {
            await ReloadAsync(cancellationToken);
        }
        catch (Exception exception) when (IsConnectionFailure(exception))
        {
            // still down; the next attempt will tell
        }
    }

    /// <summary>The database went away (restart, network); anything else is a real error.</summary>
    private static bool IsConnectionFailure(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is PostgresException postgres)
            {
                return postgres.SqlState.StartsWith("08", StringComparison.Ordinal) || postgres.SqlState.StartsWith("57P", StringComparison.Ordinal);
            }
            if (current is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException) return true;
        }
        return false;
    }

    [LoggerMessage(LogLevel.Warning, "Run {RunId}: database unreachable ({Reason}); retrying")]
    private partial void LogRetrying(Guid runId, string reason);
}

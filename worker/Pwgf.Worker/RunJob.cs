using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pwgf.Infrastructure;
using Pwgf.Infrastructure.Entities;
using Pwgf.Infrastructure.Jobs;
using Pwgf.Infrastructure.Telemetry;
using Pwgf.Training;
using Pwgf.Training.Data;

namespace Pwgf.Worker;

/// <summary>Trains one run: builds the task's session and estimator, runs the loop, records progress and outcome.</summary>
public sealed partial class RunJob(
    PwgfDbContext db,
    TimeProvider clock,
    WorkerIdentity identity,
    PwgfMetrics metrics,
    DatasetCatalog datasets,
    TrainingThreads trainingThreads,
    CoreShare coreShare,
    IOptions<WorkerOptions> options,
    ILogger<RunJob> logger) : IRunJob
{
    /// <summary>The whole execution, database calls included, runs on one of the worker's training threads.</summary>
    public Task ExecuteAsync(Guid runId, CancellationToken cancellationToken) =>
        trainingThreads.RunAsync(() => ExecuteOnTrainingThreadAsync(runId, cancellationToken), cancellationToken);

    /// <summary>Claim, train, settle; whatever ends the execution is recorded on the run.</summary>
    private async Task ExecuteOnTrainingThreadAsync(Guid runId, CancellationToken cancellationToken)
    {
        var run = await FindTrainableAsync(runId, cancellationToken);
        if (run is null) return;
        try
        {
            using var claim = await ClaimAsync(run, cancellationToken);
            if (claim is null) return;
            await TrainAsync(run, claim, cancellationToken);
            await SettleSucceededAsync(run);
        }
        catch (LeaseLostException)
        {
            // The reaper handed the run to another execution while this one could not report (database outage).
            LogLeaseLost(runId);
        }
        catch (TrainingStoppedException stopped)
        {
            await SettleCancelledAsync(run, stopped.Step);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await SettleShutdownAsync(run);
            throw;
        }
        catch (Exception exception)
        {
            await SettleFailedAsync(run, exception);
            throw;
        }
    }

    /// <summary>
    /// Train: the loop from the claimed step to the last, reporting progress to the database and applying the
    /// worker's share of the cores at each report; a change of thread count is written into the manifest once.
    /// </summary>
    private async Task TrainAsync(Run run, Claim claim, CancellationToken cancellationToken)
    {
        var manifest = claim.Manifest;
        var progress = new DatabaseProgressSink(db, run, identity.Name, metrics, clock, logger);
        var sink = new CoreSharingSink(progress, coreShare, step =>
        {
            LogThreadsChanged(run.Id, step, TorchSharp.torch.get_num_threads());
            if (manifest.ThreadsChangedAfterStep is not null) return;
            manifest = manifest with { ThreadsChangedAfterStep = step };
            progress.ReviseManifest(manifest);
        });
        var loop = new TrainingLoop(options.Value.FlushInterval, options.Value.CheckpointEvery);
        await loop.RunAsync(claim.Session, claim.FromStep, run.Configuration.Steps, run.Configuration.EvalEvery, sink, cancellationToken);
    }

    private async Task SettleSucceededAsync(Run run)
    {
        run.Succeed(clock.GetUtcNow());
        if (!await TrySaveAsync(run, CancellationToken.None))
        {
            // A cancel request arrived after the last step: the run is complete, so it stays a success.
            run.Succeed(clock.GetUtcNow());
            await db.SaveChangesAsync(CancellationToken.None);
        }
        LogSucceeded(run.Id);
    }

    private async Task SettleCancelledAsync(Run run, int step)
    {
        run.ConfirmCancelled(clock.GetUtcNow());
        await db.SaveChangesAsync(CancellationToken.None);
        LogCancelled(run.Id, step);
    }

    /// <summary>The worker is shutting down: the run goes back to the queue, and the re-queued job trains it again.</summary>
    private async Task SettleShutdownAsync(Run run)
    {
        if (run.Status == RunStatus.Running) run.Requeue();
        await db.SaveChangesAsync(CancellationToken.None);
    }

    private async Task SettleFailedAsync(Run run, Exception exception)
    {
        LogFailed(exception, run.Id);
        run.Fail(exception.Message, clock.GetUtcNow());
        await db.SaveChangesAsync(CancellationToken.None);
    }

    /// <summary>Saves the run; if the API changed it meanwhile (xmin moved), reloads it and says whether it may go on.</summary>
    private async Task<bool> TrySaveAsync(Run run, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            await db.Entry(run).ReloadAsync(cancellationToken);
            return false;
        }
    }

    [LoggerMessage(LogLevel.Warning, "Run {RunId} does not exist; nothing to do")]
    private partial void LogMissing(Guid runId);

    [LoggerMessage(LogLevel.Information, "Run {RunId} is being trained by {Owner}, whose lease is live; this execution leaves it")]
    private partial void LogHeld(Guid runId, string? owner);

    [LoggerMessage(LogLevel.Information, "Run {RunId} is {Status} and not for this execution; nothing to do")]
    private partial void LogAlreadyFinal(Guid runId, RunStatus status);

    [LoggerMessage(LogLevel.Information, "Run {RunId} started: {Task} with {Estimator}, seed {Seed}, on {Device}, from step {FromStep}")]
    private partial void LogStarted(Guid runId, string task, string estimator, long seed, string device, int fromStep);

    [LoggerMessage(LogLevel.Information, "Run {RunId} trains with {Threads} libtorch thread(s) after step {Step}: the workers on this machine changed")]
    private partial void LogThreadsChanged(Guid runId, int step, int threads);

    [LoggerMessage(LogLevel.Warning, "Run {RunId} was handed to another execution while this one could not report; leaving it")]
    private partial void LogLeaseLost(Guid runId);

    [LoggerMessage(LogLevel.Information, "Run {RunId} cancelled on request at step {Step}")]
    private partial void LogCancelled(Guid runId, int step);

    [LoggerMessage(LogLevel.Information, "Run {RunId} succeeded")]
    private partial void LogSucceeded(Guid runId);

    [LoggerMessage(LogLevel.Error, "Run {RunId} failed")]
    private partial void LogFailed(Exception exception, Guid runId);
}

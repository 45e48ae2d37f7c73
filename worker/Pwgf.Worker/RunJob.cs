using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pwgf.Estimators;
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

    private async Task ExecuteOnTrainingThreadAsync(Guid runId, CancellationToken cancellationToken)
    {
        var run = await db.Runs.SingleOrDefaultAsync(r => r.Id == runId, cancellationToken);
        if (run is null)
        {
            LogMissing(runId);
            return;
        }
        if (run.Status.IsFinal())
        {
            LogAlreadyFinal(runId, run.Status);
            return;
        }
        if (run.IsHeldByAnother(identity.Name, clock.GetUtcNow(), options.Value.LeaseTimeout))
        {
            LogHeld(runId, run.LeaseOwner);
            return;
        }
        if (run.Status == RunStatus.Running)
        {
            // The previous execution's lease expired (its worker vanished): take over from the last checkpoint.
            run.Requeue();
        }

        var configuration = run.Configuration;

        try
        {
            coreShare.Apply();
            using var session = StartSession(configuration);
            int fromStep = await ResumeAsync(session, runId, cancellationToken);
            var manifest = RunManifest.Capture(run.ConfigHash, run.Seed, session.Device, identity.Name, typeof(RunJob).Assembly);
            if (!await TryStartAsync(run, manifest, fromStep, cancellationToken)) return;
            LogStarted(runId, configuration.Task, run.Estimator, configuration.Seed, session.Device, fromStep);

            var loop = new TrainingLoop(options.Value.FlushInterval, options.Value.CheckpointEvery);
            var progress = new DatabaseProgressSink(db, run, identity.Name, metrics, clock, logger);
            var sink = new CoreSharingSink(progress, coreShare, step =>
            {
                LogThreadsChanged(runId, step, TorchSharp.torch.get_num_threads());
                if (manifest.ThreadsChangedAfterStep is not null) return;
                manifest = manifest with { ThreadsChangedAfterStep = step };
                progress.ReviseManifest(manifest);
            });
            await loop.RunAsync(session, fromStep, configuration.Steps, configuration.EvalEvery, sink, cancellationToken);

            run.Succeed(clock.GetUtcNow());
            if (!await TrySaveAsync(run, CancellationToken.None))
            {
                // A cancel request arrived after the last step: the run is complete, so it stays a success.
                run.Succeed(clock.GetUtcNow());
                await db.SaveChangesAsync(CancellationToken.None);
            }
            LogSucceeded(runId);
        }
        catch (LeaseLostException)
        {
            // The reaper handed the run to another execution while this one could not report (database outage).
            LogLeaseLost(runId);
        }
        catch (TrainingStoppedException stopped)
        {
            run.ConfirmCancelled(clock.GetUtcNow());
            await db.SaveChangesAsync(CancellationToken.None);
            LogCancelled(runId, stopped.Step);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The worker is shutting down: hand the run back so that the re-queued job trains it again.
            if (run.Status == RunStatus.Running) run.Requeue();
            await db.SaveChangesAsync(CancellationToken.None);
            throw;
        }
        catch (Exception exception)
        {
            LogFailed(exception, runId);
            run.Fail(exception.Message, clock.GetUtcNow());
            await db.SaveChangesAsync(CancellationToken.None);
            throw;
        }
    }

    /// <summary>
    /// Marks the run Running under this worker's lease. The row may change between loading and saving it (the API
    /// storing the job id, a cancel request, another execution): then it is reloaded and looked at again.
    /// The execution's manifest is stored in the same write, so a running run always says what trains it.
    /// </summary>
    private async Task<bool> TryStartAsync(Run run, RunManifest manifest, int fromStep, CancellationToken cancellationToken)
    {
        for (int attempt = 1; attempt <= 5; attempt++)
        {
            run.Start(identity.Name, manifest, clock.GetUtcNow(), fromStep);
            if (await TrySaveAsync(run, cancellationToken)) return true;
            if (run.Status.IsFinal() || run.IsHeldByAnother(identity.Name, clock.GetUtcNow(), options.Value.LeaseTimeout))
            {
                LogAlreadyFinal(run.Id, run.Status);
                return false;
            }
            if (run.Status == RunStatus.Running) run.Requeue(); // a stale lease, as at the start of ExecuteAsync
        }
        throw new InvalidOperationException($"Run {run.Id} kept changing while this worker tried to start it.");
    }

    /// <summary>Loads the run's latest checkpoint into the session, if there is one; returns the step it holds.</summary>
    private async Task<int> ResumeAsync(ITrainingSession session, Guid runId, CancellationToken cancellationToken)
    {
        var checkpoint = await db.Checkpoints.AsNoTracking().SingleOrDefaultAsync(c => c.RunId == runId, cancellationToken);
        if (checkpoint is null) return 0;
        SessionCheckpoint.Restore(session, checkpoint.State);
        return checkpoint.Step;
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

    private ITrainingSession StartSession(RunConfiguration configuration)
    {
        var task = TaskRegistry.Find(configuration.Task)
            ?? throw new InvalidOperationException($"Unknown task '{configuration.Task}'.");
        var estimator = (EstimatorRegistry.Find(configuration.Estimator)
                ?? throw new InvalidOperationException($"Unknown estimator '{configuration.Estimator}'."))
            .Build(task.Distribution, configuration.EstimatorParameters);
        return task.Start(configuration, estimator, new TaskContext(Devices.Best(), datasets));
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

using Microsoft.EntityFrameworkCore;
using Pwgf.Estimators;
using Pwgf.Infrastructure.Entities;
using Pwgf.Training;

namespace Pwgf.Worker;

/// <summary>How an execution claims its run: the checks, the session, the resume and the lease.</summary>
public sealed partial class RunJob
{
    /// <summary>
    /// The run, unless there is nothing for this execution to do: it does not exist, it is final, or another
    /// worker's lease on it is live. A run whose previous worker's lease expired goes back to Queued, to be taken over
    /// from its last checkpoint.
    /// </summary>
    private async Task<Run?> FindTrainableAsync(Guid runId, CancellationToken cancellationToken)
    {
        var run = await db.Runs.SingleOrDefaultAsync(r => r.Id == runId, cancellationToken);
        if (run is null)
        {
            LogMissing(runId);
            return null;
        }
        if (run.Status.IsFinal())
        {
            LogAlreadyFinal(runId, run.Status);
            return null;
        }
        if (run.IsHeldByAnother(identity.Name, clock.GetUtcNow(), options.Value.LeaseTimeout))
        {
            LogHeld(runId, run.LeaseOwner);
            return null;
        }
        if (run.Status == RunStatus.Running) run.Requeue();
        return run;
    }

    /// <summary>A started session, the step it resumes after, and the manifest the run was started with.</summary>
    private sealed record Claim(ITrainingSession Session, RunManifest Manifest, int FromStep) : IDisposable
    {
        public void Dispose() => Session.Dispose();
    }

    /// <summary>
    /// Claim: starts the run's session on this worker's share of the cores, resumes it from the run's last
    /// checkpoint, and marks the run Running under this worker's lease with the execution's manifest. Null when the
    /// run turned out to be another execution's (or final) meanwhile.
    /// </summary>
    private async Task<Claim?> ClaimAsync(Run run, CancellationToken cancellationToken)
    {
        coreShare.Apply();
        var session = StartSession(run.Configuration);
        try
        {
            int fromStep = await ResumeAsync(session, run.Id, cancellationToken);
            var manifest = RunManifest.Capture(run.ConfigHash, run.Seed, session.Device, identity.Name, typeof(RunJob).Assembly);
            if (!await TryStartAsync(run, manifest, fromStep, cancellationToken))
            {
                session.Dispose();
                return null;
            }
            LogStarted(run.Id, run.Configuration.Task, run.Estimator, run.Seed, session.Device, fromStep);
            return new Claim(session, manifest, fromStep);
        }
        catch
        {
            session.Dispose();
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
            if (run.Status == RunStatus.Running) run.Requeue(); // a stale lease, as in FindTrainableAsync
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

    private ITrainingSession StartSession(RunConfiguration configuration)
    {
        var task = TaskRegistry.Find(configuration.Task)
            ?? throw new InvalidOperationException($"Unknown task '{configuration.Task}'.");
        var estimator = (EstimatorRegistry.Find(configuration.Estimator)
                ?? throw new InvalidOperationException($"Unknown estimator '{configuration.Estimator}'."))
            .Build(task.Distribution, configuration.EstimatorParameters, configuration.EstimatorChoices);
        return task.Start(configuration, estimator, new TaskContext(Devices.Best(), datasets));
    }
}

using Pwgf.Training;

namespace Pwgf.Infrastructure.Entities;

/// <summary>
/// One estimator x seed of a comparison, trained by one Hangfire job. State changes only through the methods
/// below, which refuse transitions that make no sense (a finished run never starts again).
/// </summary>
public sealed class Run
{
    private Run() { }

    /// <param name="comparisonId">The comparison the run belongs to.</param>
    /// <param name="estimator">The estimator's label in the comparison.</param>
    /// <param name="configuration">Everything the run trains with; its seed and steps are the run's.</param>
    /// <param name="createdAt">Submission time.</param>
    public Run(Guid comparisonId, string estimator, RunConfiguration configuration, DateTimeOffset createdAt)
    {
        Id = Guid.CreateVersion7();
        ComparisonId = comparisonId;
        Estimator = estimator;
        Seed = configuration.Seed;
        Steps = configuration.Steps;
        Configuration = configuration;
        ConfigHash = RunJson.Hash(configuration);
        CreatedAt = createdAt;
        Status = RunStatus.Queued;
    }

    public Guid Id { get; private set; }
    public Guid ComparisonId { get; private set; }
    public string Estimator { get; private set; } = "";
    public long Seed { get; private set; }
    public int Steps { get; private set; }

    /// <summary>The immutable record of the run's hyperparameters, stored as jsonb.</summary>
    public RunConfiguration Configuration { get; private set; } = null!;

    /// <summary>Hash of the canonical configuration: equal hashes mean runs that must give identical metrics.</summary>
    public string ConfigHash { get; private set; } = "";

    public RunStatus Status { get; private set; }
    public int Step { get; private set; }
    public string? Device { get; private set; }
    public string? Error { get; private set; }
    /// <summary>The Hangfire job that trains the run; set by <see cref="RunJobs.AttachJobsAsync"/>.</summary>
    public string? JobId { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? StartedAt { get; private set; }
    public DateTimeOffset? FinishedAt { get; private set; }

    /// <summary>The worker process that trains the run now (its lease), renewed by every progress report.</summary>
    public string? LeaseOwner { get; private set; }

    public DateTimeOffset? HeartbeatAt { get; private set; }

    /// <summary>Executions started so far; a run whose worker keeps vanishing is failed after a bounded number.</summary>
    public int Attempts { get; private set; }

    /// <summary>When someone asked a running run to stop; the worker honours it at its next flush.</summary>
    public DateTimeOffset? CancelRequestedAt { get; private set; }

    /// <summary>
    /// Where and with what the latest execution trains, stored as jsonb; null until a worker starts the run.
    /// </summary>
    public RunManifest? Manifest { get; private set; }

    /// <summary>PostgreSQL's xmin: the API and a worker never overwrite each other's change of the same run.</summary>
    public uint Version { get; private set; }

    /// <summary>
    /// Starts (or, from a checkpoint, resumes) training at <paramref name="fromStep"/> completed steps on the
    /// execution's device; its <paramref name="manifest"/> replaces the one an earlier execution left.
    /// </summary>
    public void Start(string owner, RunManifest manifest, DateTimeOffset now, int fromStep = 0)
    {
        Require(Status is RunStatus.Queued, "start");
        if (fromStep < 0 || fromStep > Steps) throw new ArgumentOutOfRangeException(nameof(fromStep), fromStep, $"Must be within 0..{Steps}.");
        Status = RunStatus.Running;
        Device = manifest.Device;
        Manifest = manifest;
        Step = fromStep;
        StartedAt ??= now;
        LeaseOwner = owner;
        HeartbeatAt = now;
        Attempts++;
    }

    /// <summary>Whether another worker holds a live lease on the run (so a second execution must leave it alone).</summary>
    public bool IsHeldByAnother(string owner, DateTimeOffset now, TimeSpan leaseTimeout) =>
        Status == RunStatus.Running && LeaseOwner != owner && HeartbeatAt > now - leaseTimeout;

    /// <summary>Replaces the running execution's manifest (what it trains with changed while it ran).</summary>
    public void ReviseManifest(RunManifest manifest)
    {
        Require(Status is RunStatus.Running, "revise its manifest");
        Manifest = manifest;
    }

    public void ReportProgress(int step, DateTimeOffset now)
    {
        Require(Status is RunStatus.Running, "report progress");
        if (step < 0 || step > Steps) throw new ArgumentOutOfRangeException(nameof(step), step, $"Step must be within 0..{Steps}.");
        Step = step;
        HeartbeatAt = now;
    }

    public void Succeed(DateTimeOffset now)
    {
        Require(Status is RunStatus.Running && Step == Steps, "succeed");
        Status = RunStatus.Succeeded;
        FinishedAt = now;
    }

    public void Fail(string error, DateTimeOffset now)
    {
        Require(!Status.IsFinal(), "fail");
        Status = RunStatus.Failed;
        Error = error;
        FinishedAt = now;
    }

    /// <summary>
    /// Stops the run: a queued run is Cancelled at once and never starts; a running one is marked, and its worker
    /// ends it Cancelled within a flush interval. Asking again, or asking a finished run, changes nothing.
    /// </summary>
    public void RequestCancel(DateTimeOffset now)
    {
        if (Status == RunStatus.Queued)
        {
            Status = RunStatus.Cancelled;
            CancelRequestedAt = now;
            FinishedAt = now;
        }
        else if (Status == RunStatus.Running && CancelRequestedAt is null)
        {
            CancelRequestedAt = now;
        }
    }

    /// <summary>The worker stopped the run on request.</summary>
    public void ConfirmCancelled(DateTimeOffset now)
    {
        Require(Status is RunStatus.Running && CancelRequestedAt is not null, "be cancelled");
        Status = RunStatus.Cancelled;
        FinishedAt = now;
    }

    /// <summary>
    /// Back to the queue: its worker is shutting down, or vanished (lease expired). The next execution resumes
    /// from the run's last checkpoint.
    /// </summary>
    public void Requeue()
    {
        Require(Status is RunStatus.Running, "requeue");
        Status = RunStatus.Queued;
        LeaseOwner = null;
    }

    private void Require(bool allowed, string action)
    {
        if (!allowed) throw new InvalidOperationException($"Run {Id} is {Status} and cannot {action}.");
    }
}

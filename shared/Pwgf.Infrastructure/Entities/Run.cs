namespace Pwgf.Infrastructure.Entities;

/// <summary>
/// One estimator x seed of a comparison, trained by one Hangfire job. State changes only through the methods
/// below, which refuse transitions that make no sense (a finished run never starts again).
/// </summary>
public sealed class Run
{
    private Run() { }

    public Run(Guid comparisonId, string estimator, long seed, int steps, string configuration, DateTimeOffset createdAt)
    {
        Id = Guid.CreateVersion7();
        ComparisonId = comparisonId;
        Estimator = estimator;
        Seed = seed;
        Steps = steps;
        Configuration = configuration;
        CreatedAt = createdAt;
        Status = RunStatus.Queued;
    }

    public Guid Id { get; private set; }
    public Guid ComparisonId { get; private set; }
    public string Estimator { get; private set; } = "";
    public long Seed { get; private set; }
    public int Steps { get; private set; }

    /// <summary>The immutable record of the run's hyperparameters (a serialised RunConfiguration).</summary>
    public string Configuration { get; private set; } = "{}";

    public RunStatus Status { get; private set; }
    public int Step { get; private set; }
    public string? Device { get; private set; }
    public string? Error { get; private set; }
    public string? JobId { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? StartedAt { get; private set; }
    public DateTimeOffset? FinishedAt { get; private set; }

    public void AttachJob(string jobId) => JobId = jobId;

    public void Start(string device, DateTimeOffset now)
    {
        Require(Status is RunStatus.Queued, "start");
        Status = RunStatus.Running;
        Device = device;
        Step = 0;
        StartedAt = now;
    }

    public void ReportProgress(int step)
    {
        Require(Status is RunStatus.Running, "report progress");
        if (step < 0 || step > Steps) throw new ArgumentOutOfRangeException(nameof(step), step, $"Step must be within 0..{Steps}.");
        Step = step;
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

    /// <summary>Back to the queue after the worker was asked to shut down mid-run; the next execution starts again.</summary>
    public void Requeue()
    {
        Require(Status is RunStatus.Running, "requeue");
        Status = RunStatus.Queued;
    }

    private void Require(bool allowed, string action)
    {
        if (!allowed) throw new InvalidOperationException($"Run {Id} is {Status} and cannot {action}.");
    }
}

using Hangfire;

namespace Pwgf.Infrastructure.Jobs;

/// <summary>
/// The Hangfire job that trains one run. The API only enqueues it by this interface; workers implement it.
/// It takes an id and a token, and is safe to execute twice (a finished run is left alone).
/// Failures are recorded on the run and not retried by Hangfire: a diverging run would diverge again.
/// </summary>
public interface IRunJob
{
    [Queue(JobQueues.Training)]
    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    Task ExecuteAsync(Guid runId, CancellationToken cancellationToken);
}

public static class JobQueues
{
    /// <summary>The queue of CPU training jobs. CUDA workers can listen to their own queue as well (docs/operations.md).</summary>
    public const string Training = "training";
}

namespace Pwgf.Infrastructure.Entities;

/// <summary>Where a run is in its life: Queued, Running, then one of the final Succeeded, Failed or Cancelled.</summary>
public enum RunStatus
{
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

public static class RunStatusExtensions
{
    public static bool IsFinal(this RunStatus status) =>
        status is RunStatus.Succeeded or RunStatus.Failed or RunStatus.Cancelled;

    /// <summary>
    /// A comparison's status follows from its runs: Running while any run is running or some are done and others
    /// wait; Succeeded when all succeeded; otherwise, once all are final, Failed if any failed, else Cancelled.
    /// </summary>
    public static RunStatus Combine(IReadOnlyCollection<RunStatus> runs)
    {
        if (runs.Count == 0 || runs.All(s => s == RunStatus.Queued)) return RunStatus.Queued;
        if (!runs.All(IsFinal)) return RunStatus.Running;
        if (runs.All(s => s == RunStatus.Succeeded)) return RunStatus.Succeeded;
        return runs.Any(s => s == RunStatus.Failed) ? RunStatus.Failed : RunStatus.Cancelled;
    }
}

namespace Pwgf.Worker;

/// <summary>This process's name as a lease owner: unique across machines and restarts.</summary>
public sealed class WorkerIdentity
{
    public string Name { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";
}

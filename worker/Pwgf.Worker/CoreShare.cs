using Hangfire;
using Microsoft.Extensions.Options;
using Pwgf.Training;
using static TorchSharp.torch;

namespace Pwgf.Worker;

/// <summary>
/// How many libtorch threads a run of this worker uses: Worker:TorchThreads when set, otherwise the machine's
/// cores divided among the workers alive on it, at least one. Two workers that each took every core would spin
/// OpenMP threads against each other (docs/performance.md, "Workers share a machine's cores"). A worker is alive when its Hangfire server (named after this machine, see
/// <see cref="ServerName"/>) sent a heartbeat within the last minute and its process still exists: a killed
/// worker's server record outlives it until Hangfire's watchdog removes it, and must not halve its successor's share.
/// The count is looked up at most every few seconds and applied on the training thread at each progress report,
/// so a worker started beside a training one makes both share the cores within seconds.
/// </summary>
public sealed class CoreShare(JobStorage storage, TimeProvider clock, IOptions<WorkerOptions> options)
{
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Alive = TimeSpan.FromMinutes(1);

    private readonly object _gate = new();
    private DateTimeOffset _checkedAt = DateTimeOffset.MinValue;
    private int _threads;

    /// <summary>
    /// The Hangfire server name of this machine's workers. Hangfire makes the server id "name:pid:guid" in lower
    /// case, so the machine's workers are the ids starting with this name and a colon, compared ignoring case.
    /// </summary>
    public static string ServerName => $"worker-{Environment.MachineName}";

    /// <summary>The thread count a run should use now.</summary>
    public int Threads()
    {
        if (options.Value.TorchThreads > 0) return options.Value.TorchThreads;
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            if (now - _checkedAt >= Refresh)
            {
                _threads = Math.Max(1, Environment.ProcessorCount / Math.Max(1, WorkersOnThisMachine(now)));
                _checkedAt = now;
            }
            return _threads;
        }
    }

    /// <summary>Sets libtorch's thread count for the calling (training) thread; true when it changed.</summary>
    public bool Apply()
    {
        int threads = Threads();
        if (get_num_threads() == threads) return false;
        set_num_threads(threads);
        return true;
    }

    private int WorkersOnThisMachine(DateTimeOffset now)
    {
        try
        {
            return storage.GetMonitoringApi().Servers().Count(server =>
                server.Heartbeat is { } beat && now - new DateTimeOffset(DateTime.SpecifyKind(beat, DateTimeKind.Utc)) < Alive &&
                ProcessOnThisMachine(server.Name) is { } pid && IsRunning(pid));
        }
        catch (Exception exception) when (exception is Npgsql.NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return 1;   // the database is unreachable: keep training with every core rather than fail
        }
    }

    /// <summary>The process id in a server id of this machine's workers ("worker-host:pid:guid"), else null.</summary>
    private static int? ProcessOnThisMachine(string serverId)
    {
        string prefix = ServerName + ":";
        if (!serverId.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) return null;
        var rest = serverId.AsSpan(prefix.Length);
        int colon = rest.IndexOf(':');
        return int.TryParse(colon < 0 ? rest : rest[..colon], out int pid) ? pid : null;
    }

    private static bool IsRunning(int pid)
    {
        if (pid == Environment.ProcessId) return true;
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception exception) when (exception is ArgumentException or InvalidOperationException)
        {
            return false;   // no such process (any more)
        }
    }
}

/// <summary>
/// Applies the worker's share of the cores before each report of the run it wraps, and tells
/// <paramref name="changed"/> the step after which the new count holds.
/// </summary>
internal sealed class CoreSharingSink(IProgressSink inner, CoreShare share, Action<int> changed) : IProgressSink
{
    public Task<bool> ReportAsync(int step, IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken)
    {
        if (share.Apply()) changed(step);
        return inner.ReportAsync(step, points, cancellationToken);
    }

    public Task CheckpointAsync(int step, byte[] state, CancellationToken cancellationToken) => inner.CheckpointAsync(step, state, cancellationToken);
}

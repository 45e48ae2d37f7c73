using Hangfire;
using Microsoft.Extensions.Options;
using Pwgf.Training;
using static TorchSharp.torch;

namespace Pwgf.Worker;

/// <summary>
/// How many libtorch threads a run of this worker uses: Worker:TorchThreads when set, otherwise the machine's
/// cores divided among the workers alive on it (the Hangfire servers named after this machine, seen within the
/// last minute), at least one. Two workers that each took every core would spin OpenMP threads against each other:
/// measured on 2 cores, two 2-thread workers together trained at 0.58x one worker's rate.
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

    /// <summary>The prefix of every Hangfire server name this machine's workers register.</summary>
    public static string ServerPrefix => $"worker-{Environment.MachineName}-";

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

    /// <summary>Sets libtorch's thread count for the calling (training) thread, if it changed.</summary>
    public void Apply()
    {
        int threads = Threads();
        if (get_num_threads() != threads) set_num_threads(threads);
    }

    private int WorkersOnThisMachine(DateTimeOffset now)
    {
        try
        {
            return storage.GetMonitoringApi().Servers()
                .Count(s => s.Name.StartsWith(ServerPrefix, StringComparison.Ordinal) && s.Heartbeat is { } beat && now - new DateTimeOffset(DateTime.SpecifyKind(beat, DateTimeKind.Utc)) < Alive);
        }
        catch (Exception exception) when (exception is Npgsql.NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return 1;   // the database is unreachable: keep training with every core rather than fail
        }
    }
}

/// <summary>Applies the worker's share of the cores before each report of the run it wraps.</summary>
internal sealed class CoreSharingSink(IProgressSink inner, CoreShare share) : IProgressSink
{
    public Task<bool> ReportAsync(int step, IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken)
    {
        share.Apply();
        return inner.ReportAsync(step, points, cancellationToken);
    }

    public Task CheckpointAsync(int step, byte[] state, CancellationToken cancellationToken) => inner.CheckpointAsync(step, state, cancellationToken);
}

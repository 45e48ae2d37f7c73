using System.ComponentModel.DataAnnotations;

namespace Pwgf.Worker;

/// <summary>Configuration section "Worker".</summary>
public sealed class WorkerOptions
{
    public const string Section = "Worker";

    /// <summary>Runs trained at once by this process. Each run already uses every core through libtorch, so 1.</summary>
    [Range(1, 64)]
    public int Concurrency { get; set; } = 1;

    /// <summary>Hangfire queues this worker takes jobs from.</summary>
    [MinLength(1)]
    public string[] Queues { get; set; } = ["training"];

    /// <summary>How long a stopping worker lets a run wind down before Hangfire aborts it.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>At most one metric batch (and progress update) per interval while a run trains.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Steps between checkpoints (the state is also saved whenever a run stops early); 0 disables.</summary>
    [Range(0, int.MaxValue)]
    public int CheckpointEvery { get; set; } = 1000;

    /// <summary>A running run whose worker has not reported for this long is taken to be orphaned.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan LeaseTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often this worker looks for orphaned runs.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan ReaperInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long a queued run may be without a job before a reaper gives it one: the API enqueues right after it
    /// commits a comparison, so a run still without a job after this long lost its enqueue (a crash or an error).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan JoblessGrace { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Executions a run may start before a vanishing worker fails it for good.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Port on 127.0.0.1 where this worker serves Prometheus metrics at /metrics; 0 serves none.</summary>
    [Range(0, 65535)]
    public int MetricsPort { get; set; }

    /// <summary>libtorch intra-op threads per run; 0 shares the cores among the workers alive on this machine (CoreShare).</summary>
    [Range(0, 256)]
    public int TorchThreads { get; set; }
}

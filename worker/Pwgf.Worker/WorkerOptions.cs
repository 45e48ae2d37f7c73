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

    /// <summary>libtorch intra-op threads; 0 keeps libtorch's default (one per core).</summary>
    [Range(0, 256)]
    public int TorchThreads { get; set; }
}

using System.ComponentModel.DataAnnotations;

namespace Pwgf.Infrastructure;

/// <summary>Hangfire settings, section "Jobs", checked when a process starts.</summary>
public sealed class JobsOptions
{
    public const string Section = "Jobs";

    /// <summary>
    /// How long a job of a dead server stays invisible before another server may take it. Sliding invisibility keeps
    /// a live server's job invisible however long it trains, so this only bounds the wait after a crash.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan InvisibilityTimeout { get; set; } = TimeSpan.FromMinutes(30);
}

using System.ComponentModel.DataAnnotations;

namespace Pwgf.Api.Hosting;

/// <summary>Configuration section "Api".</summary>
public sealed class ApiSecurityOptions
{
    public const string Section = "Api";

    /// <summary>When true, reads need a key too (any scope); by default anyone who can reach the API may read.</summary>
    public bool RequireKeyForReads { get; set; }

    /// <summary>Submissions (new comparisons) allowed per key (or per client address) per minute.</summary>
    [Range(1, 100_000)]
    public int SubmissionsPerMinute { get; set; } = 120;

    /// <summary>An admin key to make sure exists at start-up (./pwgf up passes it); its value is never logged.</summary>
    public string? BootstrapAdminKey { get; set; }
}

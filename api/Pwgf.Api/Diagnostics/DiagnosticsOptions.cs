using System.ComponentModel.DataAnnotations;

namespace Pwgf.Api.Diagnostics;

/// <summary>Configuration section "Diagnostics", checked when the API starts.</summary>
public sealed class DiagnosticsOptions
{
    public const string Section = "Diagnostics";

    /// <summary>
    /// Wall-clock budget of one audit. The size limits (<see cref="DiagnosticsLimits"/>) bound memory but not time
    /// (K = 64 samples or 1000 Rao draws multiply the work), so an audit that runs longer is stopped between chunks
    /// and refused with 422.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan MaxComputeTime { get; set; } = TimeSpan.FromSeconds(60);
}

public static class DiagnosticsRegistration
{
    /// <summary>The audit's settings, bound from "Diagnostics" and validated at start.</summary>
    public static WebApplicationBuilder AddDiagnostics(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DiagnosticsOptions>()
            .BindConfiguration(DiagnosticsOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return builder;
    }
}

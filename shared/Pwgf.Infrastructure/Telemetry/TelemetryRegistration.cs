using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;

namespace Pwgf.Infrastructure.Telemetry;

public static class TelemetryRegistration
{
    /// <summary>
    /// OpenTelemetry metrics for the "Pwgf" meter plus whatever the process adds (<paramref name="configure"/>);
    /// exported over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set (the standard variable).
    /// </summary>
    public static IServiceCollection AddPwgfTelemetry(this IServiceCollection services, IConfiguration configuration, Action<MeterProviderBuilder>? configure = null)
    {
        services.AddSingleton<PwgfMetrics>();
        services.AddOpenTelemetry().WithMetrics(metrics =>
        {
            metrics.AddMeter(PwgfMetrics.MeterName);
            if (!string.IsNullOrEmpty(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"])) metrics.AddOtlpExporter();
            configure?.Invoke(metrics);
        });
        return services;
    }
}

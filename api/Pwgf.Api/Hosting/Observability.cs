using OpenTelemetry.Metrics;
using Pwgf.Infrastructure.Telemetry;

namespace Pwgf.Api.Hosting;

public static class Observability
{
    /// <summary>OpenTelemetry metrics: HTTP server metrics, the "Pwgf" meter (runs by state), Prometheus at /metrics.</summary>
    public static WebApplicationBuilder AddObservability(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<RunStateSampler>();
        builder.Services.AddHostedService(services => services.GetRequiredService<RunStateSampler>());
        builder.Services.AddPwgfTelemetry(builder.Configuration, metrics => metrics
            .AddAspNetCoreInstrumentation()
            .AddPrometheusExporter());
        return builder;
    }

    public static WebApplication MapObservability(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }
}

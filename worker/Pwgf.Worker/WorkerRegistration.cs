using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Pwgf.Infrastructure.Jobs;
using Pwgf.Infrastructure.Telemetry;
using Microsoft.Extensions.Configuration;
using OpenTelemetry.Metrics;

namespace Pwgf.Worker;

public static class WorkerRegistration
{
    public static IHostApplicationBuilder AddTrainingWorker(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<WorkerOptions>()
            .BindConfiguration(WorkerOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<WorkerIdentity>();
        builder.Services.AddSingleton<TrainingThreads>();
        builder.Services.AddSingleton<CoreShare>();
        builder.Services.AddHostedService<LeaseReaper>();

        // Whether to serve /metrics must be known while services are registered, before options can be resolved, so
        // the section is bound once more here; the host validates the same values when it starts, before the
        // listener opens.
        int metricsPort = builder.Configuration.GetSection(WorkerOptions.Section).Get<WorkerOptions>()?.MetricsPort ?? 0;
        builder.Services.AddPwgfTelemetry(builder.Configuration, metrics =>
        {
            if (metricsPort > 0) metrics.AddPrometheusHttpListener(listener => (listener.Host, listener.Port) = ("127.0.0.1", metricsPort));
        });
        builder.Services.AddScoped<IRunJob, RunJob>();
        builder.Services.AddHangfireServer((services, server) =>
        {
            var options = services.GetRequiredService<IOptions<WorkerOptions>>().Value;
            server.ServerName = CoreShare.ServerName;   // Hangfire appends the process id and a guid
            server.WorkerCount = options.Concurrency;
            server.Queues = options.Queues;
            server.ShutdownTimeout = options.ShutdownTimeout;
        });
        return builder;
    }
}

using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Pwgf.Infrastructure.Jobs;

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
        builder.Services.AddHostedService<LeaseReaper>();
        builder.Services.AddScoped<IRunJob, RunJob>();
        builder.Services.AddHangfireServer((services, server) =>
        {
            var options = services.GetRequiredService<IOptions<WorkerOptions>>().Value;
            server.ServerName = $"worker-{Environment.MachineName}-{Environment.ProcessId}";
            server.WorkerCount = options.Concurrency;
            server.Queues = options.Queues;
            server.ShutdownTimeout = options.ShutdownTimeout;
        });
        return builder;
    }
}

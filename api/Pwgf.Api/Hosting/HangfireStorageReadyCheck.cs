using Hangfire;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Pwgf.Api.Hosting;

/// <summary>Ready also means Hangfire's storage answers: without it nothing can be enqueued.</summary>
public sealed class HangfireStorageReadyCheck(JobStorage storage) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var statistics = storage.GetMonitoringApi().GetStatistics();
            return Task.FromResult(HealthCheckResult.Healthy($"Hangfire storage answers ({statistics.Servers} server(s), {statistics.Enqueued} enqueued)."));
        }
        catch (Exception exception)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("Hangfire storage unreachable.", exception));
        }
    }
}

using Hangfire;
using Hangfire.Dashboard;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Pwgf.Infrastructure;
using Pwgf.Training.Data;

namespace Pwgf.Api.Hosting;

public static class PersistenceAndJobs
{
    private const string ReadyTag = "ready";

    /// <summary>The database, the Hangfire client (the API enqueues, it never runs jobs) and the readiness check.</summary>
    public static WebApplicationBuilder AddPersistenceAndJobs(this WebApplicationBuilder builder)
    {
        builder.Services.AddPwgfDatabase(ServiceCollectionExtensions.PoolSizes.Api);
        builder.Services.AddPwgfHangfire(ServiceCollectionExtensions.PoolSizes.Api);
        builder.Services.AddPwgfDatasets();
        builder.Services.AddHealthChecks()
            .AddCheck<DatabaseReadyCheck>("database", tags: [ReadyTag])
            .AddCheck<HangfireStorageReadyCheck>("hangfire-storage", tags: [ReadyTag]);
        return builder;
    }

    /// <summary>/health/live: the process answers. /health/ready: the database is reachable and fully migrated, and
    /// Hangfire's storage answers.</summary>
    public static WebApplication MapHealthEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });
        return app;
    }

    /// <summary>The Hangfire dashboard, for admin keys only (see DashboardAuthorization).</summary>
    public static WebApplication MapJobsDashboard(this WebApplication app)
    {
        app.UseHangfireDashboard("/hangfire", new DashboardOptions
        {
            Authorization = [],
            AsyncAuthorization = [new DashboardAuthorization()],
            DisplayStorageConnectionString = false,
            DashboardTitle = "PwgfService jobs",
        });
        return app;
    }
}

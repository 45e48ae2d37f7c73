using System.ComponentModel.DataAnnotations;
using Hangfire;
using Hangfire.PostgreSql;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Pwgf.Training.Data;

namespace Pwgf.Infrastructure;

/// <summary>Registrations that the API, the workers and the migrator share.</summary>
public static class ServiceCollectionExtensions
{
    public const string ConnectionName = "Pwgf";
    public const string HangfireSchema = "hangfire";

    /// <summary>Connections each kind of process may hold unless Database:MaxPoolSize says otherwise.</summary>
    public static class PoolSizes
    {
        public const int Api = 30;
        public const int Worker = 15;
        public const int Migrator = 5;
    }

    /// <summary>The dataset catalogue, configured from the "Datasets" section; one per process, so loaded images are shared.</summary>
    public static IServiceCollection AddPwgfDatasets(this IServiceCollection services)
    {
        services.AddOptions<DatasetOptions>().BindConfiguration(DatasetOptions.Section);
        services.AddSingleton(provider => new DatasetCatalog(provider.GetRequiredService<IOptions<DatasetOptions>>().Value));
        return services;
    }

    /// <summary>
    /// <see cref="DatabaseOptions"/>, bound and validated at start, with <paramref name="defaultPoolSize"/> as the
    /// process's pool size when Database:MaxPoolSize is not set. The first registration's default holds.
    /// </summary>
    public static IServiceCollection AddPwgfDatabaseOptions(this IServiceCollection services, int defaultPoolSize)
    {
        if (services.Any(s => s.ServiceType == typeof(IValidateOptions<DatabaseOptions>))) return services;
        services.AddOptions<DatabaseOptions>()
            .BindConfiguration(DatabaseOptions.Section)
            .Configure<IConfiguration>((options, configuration) => options.ConnectionString ??= configuration.GetConnectionString(ConnectionName))
            .PostConfigure(options => options.MaxPoolSize ??= defaultPoolSize)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return services;
    }

    public static IServiceCollection AddPwgfDatabase(this IServiceCollection services, int defaultPoolSize = PoolSizes.Worker)
    {
        services.AddPwgfDatabaseOptions(defaultPoolSize);
        return services.AddDbContextPool<PwgfDbContext>((provider, options) => options
            .UseNpgsql(
                provider.GetRequiredService<IOptions<DatabaseOptions>>().Value.PooledConnectionString(),
                npgsql => npgsql.MigrationsAssembly("Pwgf.Migrations").MigrationsHistoryTable("__ef_migrations", "pwgf"))
            .UseSnakeCaseNamingConvention());
    }

    /// <summary>
    /// Hangfire on the same database, in its own schema. The migrator installs that schema, so no process races to
    /// create it at start-up. Sliding invisibility keeps a long run from being handed to a second worker however
    /// long it trains (<see cref="JobsOptions.InvisibilityTimeout"/> only bounds how long a job of a dead server stays
    /// invisible).
    /// </summary>
    public static IServiceCollection AddPwgfHangfire(this IServiceCollection services, int defaultPoolSize = PoolSizes.Worker)
    {
        services.AddPwgfDatabaseOptions(defaultPoolSize);
        services.AddOptions<JobsOptions>()
            .BindConfiguration(JobsOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return services.AddHangfire((provider, hangfire) =>
        {
            string connection = provider.GetRequiredService<IOptions<DatabaseOptions>>().Value.PooledConnectionString();
            var jobs = provider.GetRequiredService<IOptions<JobsOptions>>().Value;
            hangfire
                .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings()
                .UsePostgreSqlStorage(
                    options => options.UseNpgsqlConnection(connection),
                    new PostgreSqlStorageOptions
                    {
                        SchemaName = HangfireSchema,
                        PrepareSchemaIfNecessary = false,
                        UseSlidingInvisibilityTimeout = true,
                        InvisibilityTimeout = jobs.InvisibilityTimeout,
                        EnableLongPolling = true,
                        QueuePollInterval = TimeSpan.FromSeconds(5),
                    });
        });
    }
}

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

    /// <summary>Connections each kind of process may hold (EF Core and Hangfire share one Npgsql pool per process).</summary>
    public static class PoolSizes
    {
        public const int Api = 30;
        public const int Worker = 15;
        public const int Migrator = 5;
    }

    /// <summary>
    /// The connection string, with the process's pool bounded: Database:MaxPoolSize if configured, else
    /// <paramref name="defaultPoolSize"/>; refused like at start when the settings are not valid.
    /// </summary>
    public static string RequireConnectionString(this IConfiguration configuration, int defaultPoolSize = PoolSizes.Worker)
    {
        var options = new DatabaseOptions();
        options.Read(configuration, defaultPoolSize);
        Validator.ValidateObject(options, new ValidationContext(options), validateAllProperties: true);
        return options.PooledConnectionString();
    }

    /// <summary>The dataset catalogue, configured from the "Datasets" section; one per process, so loaded images are shared.</summary>
    public static IServiceCollection AddPwgfDatasets(this IServiceCollection services)
    {
        services.AddOptions<DatasetOptions>().BindConfiguration(DatasetOptions.Section);
        services.AddSingleton(provider => new DatasetCatalog(provider.GetRequiredService<IOptions<DatasetOptions>>().Value));
        return services;
    }

    /// <summary>The database context, on the connection of <see cref="DatabaseOptions"/> (validated at start).</summary>
    public static IServiceCollection AddPwgfDatabase(this IServiceCollection services, IConfiguration configuration, int defaultPoolSize = PoolSizes.Worker)
    {
        services.AddDatabaseOptions(configuration, defaultPoolSize);
        return services.AddDbContextPool<PwgfDbContext>((provider, options) => options
            .UseNpgsql(provider.GetRequiredService<IOptions<DatabaseOptions>>().Value.PooledConnectionString(),
                npgsql => npgsql.MigrationsAssembly("Pwgf.Migrations").MigrationsHistoryTable("__ef_migrations", "pwgf"))
            .UseSnakeCaseNamingConvention());
    }

    /// <summary>
    /// Hangfire on the same database, in its own schema. The migrator installs that schema, so no process races to
    /// create it at start-up. Sliding invisibility keeps a long run from being handed to a second worker however
    /// long it trains (<see cref="JobsOptions.InvisibilityTimeout"/> only bounds how long a job of a dead server stays
    /// invisible).
    /// </summary>
    public static IServiceCollection AddPwgfHangfire(this IServiceCollection services, IConfiguration configuration, int defaultPoolSize = PoolSizes.Worker)
    {
        services.AddDatabaseOptions(configuration, defaultPoolSize);
        services.AddOptions<JobsOptions>()
            .Bind(configuration.GetSection(JobsOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return services.AddHangfire((provider, hangfire) => hangfire
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UsePostgreSqlStorage(
                options => options.UseNpgsqlConnection(provider.GetRequiredService<IOptions<DatabaseOptions>>().Value.PooledConnectionString()),
                new PostgreSqlStorageOptions
                {
                    SchemaName = HangfireSchema,
                    PrepareSchemaIfNecessary = false,
                    UseSlidingInvisibilityTimeout = true,
                    InvisibilityTimeout = provider.GetRequiredService<IOptions<JobsOptions>>().Value.InvisibilityTimeout,
                    EnableLongPolling = true,
                    QueuePollInterval = TimeSpan.FromSeconds(5),
                }));
    }

    /// <summary>Registered once however many registrations need it.</summary>
    private static void AddDatabaseOptions(this IServiceCollection services, IConfiguration configuration, int defaultPoolSize)
    {
        if (services.Any(s => s.ServiceType == typeof(IConfigureOptions<DatabaseOptions>))) return;
        services.AddOptions<DatabaseOptions>()
            .Configure(options => options.Read(configuration, defaultPoolSize))
            .ValidateDataAnnotations()
            .ValidateOnStart();
    }
}

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
    /// <paramref name="defaultPoolSize"/>. Sized so that an API and many workers stay inside PostgreSQL's
    /// max_connections (docs/operations.md, "Connections").
    /// </summary>
    public static string RequireConnectionString(this IConfiguration configuration, int defaultPoolSize = PoolSizes.Worker)
    {
        if (configuration.GetConnectionString(ConnectionName) is not { Length: > 0 } connection)
        {
            throw new InvalidOperationException(
                $"No connection string: set ConnectionStrings__{ConnectionName} (./pwgf up does this for its private cluster).");
        }
        int poolSize = int.TryParse(configuration["Database:MaxPoolSize"], out int configured) && configured > 0 ? configured : defaultPoolSize;
        return new Npgsql.NpgsqlConnectionStringBuilder(connection) { MaxPoolSize = poolSize }.ConnectionString;
    }

    /// <summary>The dataset catalogue, configured from the "Datasets" section; one per process, so loaded images are shared.</summary>
    public static IServiceCollection AddPwgfDatasets(this IServiceCollection services)
    {
        services.AddOptions<DatasetOptions>().BindConfiguration(DatasetOptions.Section);
        services.AddSingleton(provider => new DatasetCatalog(provider.GetRequiredService<IOptions<DatasetOptions>>().Value));
        return services;
    }

    public static IServiceCollection AddPwgfDatabase(this IServiceCollection services, IConfiguration configuration, int defaultPoolSize = PoolSizes.Worker)
    {
        string connection = configuration.RequireConnectionString(defaultPoolSize);
        return services.AddDbContextPool<PwgfDbContext>(options => options
            .UseNpgsql(connection, npgsql => npgsql.MigrationsAssembly("Pwgf.Migrations").MigrationsHistoryTable("__ef_migrations", "pwgf"))
            .UseSnakeCaseNamingConvention());
    }

    /// <summary>
    /// Hangfire on the same database, in its own schema. The migrator installs that schema, so no process races to
    /// create it at start-up. Sliding invisibility keeps a long run from being handed to a second worker however
    /// long it trains (Jobs:InvisibilityTimeout only bounds how long a job of a dead server stays invisible).
    /// </summary>
    public static IServiceCollection AddPwgfHangfire(this IServiceCollection services, IConfiguration configuration, int defaultPoolSize = PoolSizes.Worker)
    {
        string connection = configuration.RequireConnectionString(defaultPoolSize);
        var invisibility = configuration["Jobs:InvisibilityTimeout"] is { Length: > 0 } text
            ? TimeSpan.Parse(text, System.Globalization.CultureInfo.InvariantCulture)
            : TimeSpan.FromMinutes(30);
        return services.AddHangfire(hangfire => hangfire
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
                    InvisibilityTimeout = invisibility,
                    EnableLongPolling = true,
                    QueuePollInterval = TimeSpan.FromSeconds(5),
                }));
    }
}

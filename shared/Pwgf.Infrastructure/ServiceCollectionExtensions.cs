using Hangfire;
using Hangfire.PostgreSql;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Pwgf.Infrastructure;

/// <summary>Registrations that the API, the workers and the migrator share.</summary>
public static class ServiceCollectionExtensions
{
    public const string ConnectionName = "Pwgf";
    public const string HangfireSchema = "hangfire";

    public static string RequireConnectionString(this IConfiguration configuration) =>
        configuration.GetConnectionString(ConnectionName) is { Length: > 0 } connection
            ? connection
            : throw new InvalidOperationException(
                $"No connection string: set ConnectionStrings__{ConnectionName} (./pwgf up does this for its private cluster).");

    public static IServiceCollection AddPwgfDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        string connection = configuration.RequireConnectionString();
        return services.AddDbContextPool<PwgfDbContext>(options => options
            .UseNpgsql(connection, npgsql => npgsql.MigrationsAssembly("Pwgf.Migrations").MigrationsHistoryTable("__ef_migrations", "pwgf"))
            .UseSnakeCaseNamingConvention());
    }

    /// <summary>
    /// Hangfire on the same database, in its own schema. The migrator installs that schema, so no process races to
    /// create it at start-up. Sliding invisibility keeps a long run from being handed to a second worker however
    /// long it trains (Jobs:InvisibilityTimeout only bounds how long a job of a dead server stays invisible).
    /// </summary>
    public static IServiceCollection AddPwgfHangfire(this IServiceCollection services, IConfiguration configuration)
    {
        string connection = configuration.RequireConnectionString();
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

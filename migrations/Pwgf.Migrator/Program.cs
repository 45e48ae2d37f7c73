using Hangfire.PostgreSql;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Pwgf.Infrastructure;

// One-shot migrator: brings the service's schema and Hangfire's schema up to date, then exits.
// Runs before the API and the workers start (./pwgf up, docker-compose), so neither of them races to create tables.
var builder = Host.CreateApplicationBuilder(args);
builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
builder.Services.AddPwgfDatabase(ServiceCollectionExtensions.PoolSizes.Migrator);
using var host = builder.Build();
var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Migrator");

try
{
    await using (var scope = host.Services.CreateAsyncScope())
    {
        var db = scope.ServiceProvider.GetRequiredService<PwgfDbContext>();
        var pending = (await db.Database.GetPendingMigrationsAsync()).ToList();
        await db.Database.MigrateAsync();
        logger.LogInformation("Applied {Count} migration(s): {Names}", pending.Count, string.Join(", ", pending));
    }

    await using (var connection = new NpgsqlConnection(host.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value.PooledConnectionString()))
    {
        await connection.OpenAsync();
        PostgreSqlObjectsInstaller.Install(connection, ServiceCollectionExtensions.HangfireSchema);
        logger.LogInformation("Hangfire schema '{Schema}' is up to date", ServiceCollectionExtensions.HangfireSchema);
    }
    return 0;
}
catch (Exception exception)
{
    logger.LogError(exception, "Migration failed");
    return 1;
}

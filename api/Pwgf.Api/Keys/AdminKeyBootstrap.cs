using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using Pwgf.Api.Hosting;
using Pwgf.Infrastructure;
using Pwgf.Infrastructure.Entities;

namespace Pwgf.Api.Keys;

/// <summary>Makes sure the configured bootstrap admin key exists, so a fresh installation has a way in.</summary>
public sealed partial class AdminKeyBootstrap(
    IServiceScopeFactory scopes,
    IOptions<ApiSecurityOptions> options,
    TimeProvider clock,
    ILogger<AdminKeyBootstrap> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.BootstrapAdminKey is not { Length: > 0 } secret) return;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PwgfDbContext>();
        string hash = ApiKey.HashOf(secret);
        if (await db.ApiKeys.AnyAsync(k => k.Hash == hash, cancellationToken)) return;

        db.ApiKeys.Add(new ApiKey("bootstrap admin", hash, Scopes.All, clock.GetUtcNow()));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            LogCreated();
        }
        catch (DbUpdateException conflict) when (conflict.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // Another API instance stored it first.
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(LogLevel.Information, "Stored the bootstrap admin key (its value is not logged)")]
    private partial void LogCreated();
}

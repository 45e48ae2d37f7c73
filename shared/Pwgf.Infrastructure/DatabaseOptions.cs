using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Pwgf.Infrastructure;

/// <summary>
/// How a process reaches PostgreSQL: the connection string "ConnectionStrings:Pwgf" and the section "Database".
/// Registered processes check it when they start, so a missing string or a bad pool size stops them at once.
/// </summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>From ConnectionStrings:Pwgf (not from the section, so there is one place to set it).</summary>
    [Required(ErrorMessage = $"No connection string: set ConnectionStrings__{ServiceCollectionExtensions.ConnectionName} (./pwgf up does this for its private cluster).")]
    public string? ConnectionString { get; internal set; }

    /// <summary>
    /// Connections this process may hold (EF Core and Hangfire share one Npgsql pool); unset, the process's default
    /// (<see cref="ServiceCollectionExtensions.PoolSizes"/>). Sized so that an API and many workers stay inside
    /// PostgreSQL's max_connections.
    /// </summary>
    [Range(1, 1000)]
    public int MaxPoolSize { get; set; }

    /// <summary>The connection string with the pool bounded to <see cref="MaxPoolSize"/>.</summary>
    // A method, not a property: validation reads every property, and this one throws on a bad pool size.
    public string PooledConnectionString() => new NpgsqlConnectionStringBuilder(ConnectionString) { MaxPoolSize = MaxPoolSize }.ConnectionString;

    /// <summary>Fills these options from <paramref name="configuration"/>, the pool size defaulting to <paramref name="defaultPoolSize"/>.</summary>
    public void Read(IConfiguration configuration, int defaultPoolSize)
    {
        MaxPoolSize = defaultPoolSize;
        configuration.GetSection(Section).Bind(this);
        ConnectionString = configuration.GetConnectionString(ServiceCollectionExtensions.ConnectionName) is { Length: > 0 } text ? text : null;
    }
}

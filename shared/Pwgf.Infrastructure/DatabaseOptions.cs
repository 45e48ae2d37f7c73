using System.ComponentModel.DataAnnotations;
using Npgsql;

namespace Pwgf.Infrastructure;

/// <summary>
/// Where the service's PostgreSQL is (ConnectionStrings:Pwgf) and how many connections this process may hold
/// (section "Database"). Validated when the process starts, so a missing connection string or a bad pool size stops
/// it at once with the setting's name.
/// </summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>ConnectionStrings:Pwgf (environment: ConnectionStrings__Pwgf).</summary>
    [Required(AllowEmptyStrings = false,
        ErrorMessage = $"No connection string: set ConnectionStrings__{ServiceCollectionExtensions.ConnectionName} (./pwgf up does this for its private cluster).")]
    public string? ConnectionString { get; set; }

    /// <summary>
    /// Connections this process may hold (EF Core and Hangfire share one Npgsql pool); when unset, the process's own
    /// default (<see cref="ServiceCollectionExtensions.PoolSizes"/>). Sized so that an API and many workers stay inside
    /// PostgreSQL's max_connections.
    /// </summary>
    [Range(1, 1000)]
    public int? MaxPoolSize { get; set; }

    /// <summary>The connection string with the pool bounded to <see cref="MaxPoolSize"/>.</summary>
    // A method, not a property: validation reads every property, and this one throws on a bad pool size.
    public string PooledConnectionString() =>
        new NpgsqlConnectionStringBuilder(ConnectionString) { MaxPoolSize = MaxPoolSize ?? ServiceCollectionExtensions.PoolSizes.Worker }.ConnectionString;
}

/// <summary>Hangfire's storage settings (section "Jobs"), validated when the process starts.</summary>
public sealed class JobsOptions
{
    public const string Section = "Jobs";

    /// <summary>
    /// How long a job of a dead Hangfire server stays invisible before another server may take it. Live servers keep
    /// their jobs invisible however long they train (sliding invisibility), so this bounds only the wait after a crash.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan InvisibilityTimeout { get; set; } = TimeSpan.FromMinutes(30);
}

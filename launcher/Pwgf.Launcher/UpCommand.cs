using System.Globalization;
using System.Runtime.InteropServices;
using Pwgf.LocalStack;

namespace Pwgf.Launcher;

/// <summary>
/// `./pwgf up`: the private cluster (unless ConnectionStrings__Pwgf names a database), migrations, the API and N
/// workers, each in a session of its own with its log in .pwgf/logs; then it stays in the foreground until Ctrl-C or
/// SIGTERM (`./pwgf down`) and stops everything it started, workers and API first, then the cluster.
/// </summary>
internal static class UpCommand
{
    private const int DefaultPort = 5080;
    private static readonly TimeSpan WatchInterval = TimeSpan.FromSeconds(1);

    public static async Task<int> RunAsync(Workspace workspace, int workers)
    {
        int port = EnvironmentNumber("PWGF_PORT") ?? DefaultPort;
        string? given = Environment.GetEnvironmentVariable("ConnectionStrings__Pwgf") is { Length: > 0 } value ? value : null;
        var binaries = given is null ? PostgresBinaries.Require() : null;
        Directory.CreateDirectory(workspace.Logs);
        var pids = new PidFiles(workspace.Run);
        pids.RefuseIfRunning();
        if (Ports.InUse(port)) throw new LocalStackException($"port {port} is already in use (set PWGF_PORT to use another one)");

        using var signals = new Signals();
        pids.Write("up", Environment.ProcessId);
        PostgresCluster? startedHere = null;
        ServiceStack? stack = null;
        try
        {
            string connection, database;
            if (binaries is null)
            {
                connection = given!;
                database = "the one in ConnectionStrings__Pwgf";
                Say.Info("using the database from ConnectionStrings__Pwgf");
            }
            else
            {
                var cluster = workspace.PrivateCluster(binaries);
                if (!await cluster.IsRunningAsync()) startedHere = cluster;
                await Say.WhileAsync($"starting PostgreSQL in {workspace.Pretty(cluster.Directory)}",
                    () => cluster.StartAsync(EnvironmentNumber("PWGF_PG_PORT"), cancellationToken: signals.Stop));
                connection = await cluster.EnsureDatabaseAsync(Workspace.Database, signals.Stop);
                database = $"private PostgreSQL on 127.0.0.1:{cluster.Port} ('./pwgf pg url .pwgf/pg pwgf' prints the connection string)";
            }

            var key = ApiKey.Ensure(workspace);
            var settings = new StackSettings
            {
                Programs = workspace.Programs,
                ConnectionString = connection,
                ApiPort = port,
                LogDirectory = workspace.Logs,
                Detached = true,
                Environment = new Dictionary<string, string>(workspace.DatasetSettings()) { ["Api__BootstrapAdminKey"] = key.Secret },
            };
            await Say.WhileAsync("applying migrations", () => ServiceStack.MigrateAsync(settings, signals.Stop));
            stack = await Say.WhileAsync($"starting the API and {workers} worker(s); waiting for {settings.ReadyTimeout.TotalSeconds:0} s at most",
                () => ServiceStack.StartAsync(settings, workers, signals.Stop));
            pids.Write("api", stack.Api.Id);
            foreach (var worker in stack.Workers) pids.Write(worker.Name, worker.Id);

            Console.Out.Write(Banner(workspace, stack, key, database));
            Console.Out.Flush();
            return await SuperviseAsync(stack, signals);
        }
        catch (OperationCanceledException) when (signals.Stop.IsCancellationRequested)
        {
            return 0;
        }
        finally
        {
            if (signals.Received is not null) Say.Info("signal received, shutting down");
            if (stack is not null)
            {
                Say.Info($"stopping {string.Join(' ', stack.Workers.Append(stack.Api).Where(p => !p.HasExited).Select(p => p.Name))}");
                await stack.DisposeAsync();
            }
            pids.Clear();
            if (startedHere is not null)
            {
                await startedHere.StopAsync();
                Say.Info($"PostgreSQL in {workspace.Pretty(startedHere.Directory)} stopped");
            }
        }
    }

    /// <summary>Stays in the foreground: a dead API ends everything, a dead worker is reported once.</summary>
    private static async Task<int> SuperviseAsync(ServiceStack stack, Signals signals)
    {
        var reported = new HashSet<string>();
        while (!signals.Stop.IsCancellationRequested)
        {
            if (stack.Api.HasExited)
            {
                Say.Warn($"the API (pid {stack.Api.Id}) exited unexpectedly");
                Say.Tail(stack.Api.LogFile);
                return 1;
            }
            foreach (var worker in stack.Workers.Where(w => w.HasExited && reported.Add(w.Name)))
            {
                Say.Warn($"{worker.Name} (pid {worker.Id}) exited; the API and the other workers keep running");
                Say.Tail(worker.LogFile);
            }
            try
            {
                await Task.Delay(WatchInterval, signals.Stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        return 0;
    }

    private static string Banner(Workspace workspace, ServiceStack stack, ApiKey key, string database)
    {
        string @base = stack.BaseAddress.ToString().TrimEnd('/');
        string logs = string.Join(", ", stack.Workers.Prepend(stack.Api).Select(p => workspace.Pretty(p.LogFile!)));
        return $"""

            PwgfService is running ({stack.Workers.Count} worker(s)):
              Dashboard  {@base}/   (paste the API key into it once; the browser keeps it)
              API base   {@base}/api/v1/
              Swagger    {@base}/swagger
              Hangfire   {@base}/hangfire   (admin key; docs/operations.md says how to sign in)
              API key    {key.Where}   (send it as X-Api-Key)
              Health     {@base}/health/ready   (liveness: {@base}/health/live)
              Database   {database}
              Logs       {logs}
            Press Ctrl-C to stop everything (or run './pwgf down' from another terminal).


            """;
    }

    private static int? EnvironmentNumber(string name)
    {
        if (Environment.GetEnvironmentVariable(name) is not { Length: > 0 } text) return null;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int number) && number is > 0 and < 65536
            ? number
            : throw new LocalStackException($"{name} must be a port number, got '{text}'");
    }
}

/// <summary>The admin key of this installation: $PWGF_API_KEY, else the one kept in .pwgf/api-key, else a new one kept there.</summary>
internal sealed record ApiKey(string Secret, string Where)
{
    public static ApiKey Ensure(Workspace workspace)
    {
        if (Environment.GetEnvironmentVariable("PWGF_API_KEY") is { Length: > 0 } given) return new ApiKey(given, "from PWGF_API_KEY");
        string where = $"kept in {workspace.Pretty(workspace.ApiKeyFile)}";
        if (File.Exists(workspace.ApiKeyFile) && File.ReadAllText(workspace.ApiKeyFile).Trim() is { Length: > 0 } kept) return new ApiKey(kept, where);

        string secret = "pwgf_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        File.WriteAllText(workspace.ApiKeyFile, secret + "\n");
        PostgresCluster.OwnerOnly(workspace.ApiKeyFile);
        Say.Info($"generated an admin API key; it is {where} (the API stores only its hash)");
        return new ApiKey(secret, where);
    }
}

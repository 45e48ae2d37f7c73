using System.Net;

namespace Pwgf.LocalStack;

/// <summary>
/// The service on one database: the migrator once, then the API on a loopback port and any number of workers, all
/// real child processes. Disposing stops them (workers and API get SIGTERM and <see cref="StackSettings.StopGrace"/>).
/// </summary>
public sealed class ServiceStack : IAsyncDisposable
{
    private readonly List<ServiceProcess> _workers = [];

    private ServiceStack(StackSettings settings, ServiceProcess api, Uri baseAddress)
    {
        Settings = settings;
        Api = api;
        BaseAddress = baseAddress;
    }

    public StackSettings Settings { get; }
    public ServiceProcess Api { get; }
    public Uri BaseAddress { get; }
    public IReadOnlyList<ServiceProcess> Workers => _workers;

    /// <summary>Migrates, starts the API and <paramref name="workers"/> workers, and waits until the API is ready.</summary>
    public static async Task<ServiceStack> StartAsync(StackSettings settings, int workers, CancellationToken cancellationToken = default)
    {
        await MigrateAsync(settings, cancellationToken);
        var stack = await StartApiAsync(settings, cancellationToken);
        try
        {
            for (int i = 0; i < workers; i++) stack.StartWorker();
            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    /// <summary>Applies the migrations (and Hangfire's schema); throws with the migrator's output when it fails.</summary>
    public static async Task MigrateAsync(StackSettings settings, CancellationToken cancellationToken = default)
    {
        using var migrator = ServiceProcess.StartDotnet("migrate", settings.Programs.Migrator, settings.ProgramEnvironment(),
            logFile: settings.Log("migrate"));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.MigrationTimeout);
        try
        {
            await migrator.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            migrator.Kill();
            throw;
        }
        if (migrator.ExitCode != 0) throw new LocalStackException($"the migrations failed ({migrator.ExitCode}):\n{migrator.OutputTail()}");
    }

    private static async Task<ServiceStack> StartApiAsync(StackSettings settings, CancellationToken cancellationToken)
    {
        int port = settings.ApiPort > 0 ? settings.ApiPort : Ports.AnyFree();
        if (settings.ApiPort > 0 && Ports.InUse(port)) throw new LocalStackException($"port {port} is already in use");
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        var api = ServiceProcess.StartDotnet("api", settings.Programs.Api, settings.ProgramEnvironment(), ["--urls", baseAddress.ToString().TrimEnd('/')],
            settings.Log("api"), settings.Detached);
        var stack = new ServiceStack(settings, api, baseAddress);
        try
        {
            await WaitUntilReadyAsync(baseAddress, api, settings.ReadyTimeout, cancellationToken);
            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    /// <summary>One more worker with <paramref name="extra"/> settings; its log is worker-K.log.</summary>
    public ServiceProcess StartWorker(IReadOnlyDictionary<string, string>? extra = null)
    {
        string name = $"worker-{_workers.Count + 1}";
        var worker = ServiceProcess.StartDotnet(name, Settings.Programs.Worker, Settings.ProgramEnvironment(extra),
            logFile: Settings.Log(name), newSession: Settings.Detached);
        _workers.Add(worker);
        return worker;
    }

    /// <summary>Polls /health/ready until it answers 200; fails with the program's output when it exits or time runs out.</summary>
    public static async Task WaitUntilReadyAsync(Uri baseAddress, ServiceProcess api, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (api.HasExited) throw new LocalStackException($"the API exited during start-up:\n{api.OutputTail()}");
            try
            {
                using var response = await client.GetAsync("/health/ready", cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // a slow answer during start-up
            }
            await Task.Delay(200, cancellationToken);
        }
        throw new LocalStackException($"the API did not become ready within {timeout.TotalSeconds:0} s:\n{api.OutputTail()}");
    }

    /// <summary>Stops every worker and API that is still running, all at once, each with the stop grace.</summary>
    public async Task StopAsync()
    {
        var running = _workers.Append(Api).Where(process => !process.HasExited).ToList();
        await Task.WhenAll(running.Select(process => process.TerminateAsync(Settings.StopGrace)));
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        foreach (var process in _workers.Append(Api)) process.Dispose();
    }
}

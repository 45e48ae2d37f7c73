using System.Globalization;
using Npgsql;
using Pwgf.Client;
using Pwgf.LocalStack;

namespace Pwgf.IntegrationTests.Support;

/// <summary>
/// The whole service as real processes on a database of its own (<see cref="ServiceStack"/>): the migrator runs
/// once, then the API listens on a free loopback port and one worker trains. Tests talk to it over HTTP only.
/// The tests of a collection share it one after another; a test that needs a known state (exactly one worker, no
/// run left training) starts with <see cref="ResetAsync"/>.
/// </summary>
public sealed class ServiceFixture : IAsyncLifetime
{
    /// <summary>Hangfire's invisibility timeout in this fixture: short, so a run easily outlasts it.</summary>
    public static readonly TimeSpan InvisibilityTimeout = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(45);

    /// <summary>Bounds start-up only against a hang: on a machine shared by several builds it can take minutes.</summary>
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5);

    /// <summary>How often the tests poll the service while they wait for a state.</summary>
    public static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    private readonly List<ServiceProcess> _workers = [];
    private readonly Dictionary<ServiceProcess, int> _metricsPorts = [];
    private ServiceStack? _stack;
    private PwgfClient? _api;

    public string ConnectionString { get; private set; } = "";

    /// <summary>The installation's admin key; <see cref="Api"/> and <see cref="Client"/> send it with every request.</summary>
    public string AdminKey { get; } = Pwgf.Infrastructure.Entities.ApiKey.NewSecret();

    /// <summary>The typed client of the API (shared/Pwgf.Client), sending the admin key: how tests call the service.</summary>
    public PwgfClient Api => _api ?? throw new InvalidOperationException("The service has not started yet.");

    /// <summary>
    /// Plain HTTP with the admin key, for tests of the HTTP itself: hostile bodies, headers, status codes, ETags, and
    /// routes outside the API (health, Swagger, Hangfire).
    /// </summary>
    public HttpClient Client { get; private set; } = new();

    /// <summary>Plain HTTP that sends no key.</summary>
    public HttpClient Anonymous { get; private set; } = new();
    public Uri BaseAddress => Client.BaseAddress!;

    /// <summary>Every worker this fixture started, live or not, in order.</summary>
    public IReadOnlyList<ServiceProcess> Workers => _workers;

    /// <summary>The Prometheus ports of the workers that are still alive.</summary>
    public IReadOnlyList<int> WorkerMetricsPorts => [.. _metricsPorts.Where(w => !w.Key.HasExited).Select(w => w.Value)];

    public string Logs => $"--- api ---\n{_stack?.Api.Output}\n" + string.Join("\n", _workers.Select((w, i) => $"--- worker {i} ---\n{w.Output}"));

    public async Task InitializeAsync()
    {
        ConnectionString = await TestCluster.CreateDatabaseAsync("pwgf_e2e");
        _stack = await ServiceStack.StartAsync(Settings(), workers: 0);
        Client = NewClient(_stack.BaseAddress);
        _api = new PwgfClient(Client);
        Anonymous = new HttpClient { BaseAddress = _stack.BaseAddress, Timeout = RequestTimeout };
        StartWorker();
    }

    /// <summary>One more worker, serving its Prometheus metrics on a port of its own.</summary>
    public ServiceProcess StartWorker()
    {
        int metricsPort = Ports.AnyFree();
        var worker = _stack!.StartWorker(new Dictionary<string, string> { ["Worker__MetricsPort"] = metricsPort.ToString(CultureInfo.InvariantCulture) });
        _workers.Add(worker);
        _metricsPorts[worker] = metricsPort;
        return worker;
    }

    /// <summary>
    /// One more worker started the operator's way, with ./pwgf worker (the one place C# runs the script: it checks
    /// that the script finds the database from the environment and starts a worker that trains).
    /// </summary>
    public ServiceProcess StartWorkerWithScript()
    {
        var worker = ServiceProcess.Start("worker (./pwgf)", "bash", [Path.Combine(Repository.Root, "pwgf"), "worker"], Repository.Root, Environment());
        _workers.Add(worker);
        return worker;
    }

    /// <summary>
    /// A known state for tests that count workers or need one free: every unfinished comparison is cancelled, every
    /// live worker stopped gracefully, and one new worker (with its metrics port) started, whatever earlier tests left.
    /// </summary>
    public async Task ResetAsync()
    {
        foreach (var id in await UnfinishedComparisonsAsync()) await CancelAsync(id);
        await Task.WhenAll(_workers.Where(w => !w.HasExited).Select(w => w.TerminateAsync(StopGrace)));
        StartWorker();
    }

    /// <summary>A typed client of the service that sends <paramref name="key"/>, or no key when it is null; the caller disposes it.</summary>
    public PwgfClient ApiWithKey(string? key) => new(BaseAddress, key, RequestTimeout);

    /// <summary>Cancels a comparison and waits until every run is final; for `finally` blocks of tests with long runs.</summary>
    public async Task CancelAsync(Guid comparisonId)
    {
        await Api.CancelComparisonAsync(comparisonId);
        await WithinAsync(TimeSpan.FromMinutes(2), limit => Api.WaitForFinalAsync(comparisonId, Poll, limit));
    }

    /// <summary>Waits until the Hangfire server of every live worker this fixture started itself is registered.</summary>
    public async Task WaitForWorkersRegisteredAsync()
    {
        var expected = _metricsPorts.Keys.Where(w => !w.HasExited).Select(w => w.Id).ToHashSet();
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (true)
        {
            var registered = new HashSet<int>();
            await using (var connection = new NpgsqlConnection(ConnectionString))
            {
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand("SELECT id FROM hangfire.server", connection);
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    // Hangfire's server ids read "name:pid:guid".
                    string[] parts = reader.GetString(0).Split(':');
                    if (parts.Length >= 2 && int.TryParse(parts[1], CultureInfo.InvariantCulture, out int pid)) registered.Add(pid);
                }
            }
            if (expected.IsSubsetOf(registered)) return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"workers {string.Join(", ", expected.Except(registered))} never registered\n{Logs}");
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// Awaits a wait of the typed client (<paramref name="wait"/> gets the token that bounds it); when
    /// <paramref name="timeout"/> passes first, fails with a TimeoutException that carries the service logs, which a
    /// bare cancellation would not show.
    /// </summary>
    public async Task<T> WithinAsync<T>(TimeSpan timeout, Func<CancellationToken, Task<T>> wait)
    {
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            return await wait(limit.Token);
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested)
        {
            throw new TimeoutException($"The wait did not end within {timeout}.\n{Logs}");
        }
    }

    /// <summary>A JSON body for a request sent as plain HTTP (<see cref="Client"/>), exactly as written.</summary>
    public static StringContent Body(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    /// <summary>A second API process on the same database, with extra settings; the caller disposes it.</summary>
    public async Task<(ServiceProcess Process, HttpClient Client)> StartApiAsync(IReadOnlyDictionary<string, string> settings)
    {
        var environment = Environment();
        foreach (var (key, value) in settings) environment[key] = value;
        var address = new Uri($"http://127.0.0.1:{Ports.AnyFree()}");
        var api = ServiceProcess.StartDotnet("api (extra)", Repository.Program("api", "Pwgf.Api"), environment, ["--urls", address.ToString().TrimEnd('/')]);
        try
        {
            await ServiceStack.WaitUntilReadyAsync(address, api, StartTimeout);
        }
        catch
        {
            api.Dispose();
            throw;
        }
        return (api, NewClient(address));
    }

    public async Task DisposeAsync()
    {
        if (_stack is not null) await _stack.DisposeAsync();
        foreach (var worker in _workers) worker.Dispose();
        _api?.Dispose();
        Client.Dispose();
        Anonymous.Dispose();
        if (ConnectionString.Length > 0) await TestCluster.DropDatabaseAsync(ConnectionString);
    }

    private async Task<List<Guid>> UnfinishedComparisonsAsync()
    {
        var ids = new List<Guid>();
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT DISTINCT comparison_id FROM pwgf.runs WHERE status IN ('Queued', 'Running')", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) ids.Add(reader.GetGuid(0));
        return ids;
    }

    private HttpClient NewClient(Uri address)
    {
        var client = new HttpClient { BaseAddress = address, Timeout = RequestTimeout };
        client.DefaultRequestHeaders.Add(PwgfClient.ApiKeyHeader, AdminKey);
        return client;
    }

    private StackSettings Settings() => new()
    {
        Programs = ServicePrograms.InSourceTree(Repository.Root, Repository.Configuration),
        ConnectionString = ConnectionString,
        Environment = Environment(),
        StopGrace = StopGrace,
        ReadyTimeout = StartTimeout,
        MigrationTimeout = StartTimeout,
    };

    private Dictionary<string, string> Environment() => new()
    {
        ["Api__BootstrapAdminKey"] = AdminKey,
        ["Api__SubmissionsPerMinute"] = "100000", // the suite submits hundreds of (mostly hostile) requests a minute
        ["ConnectionStrings__Pwgf"] = ConnectionString,
        ["Worker__FlushInterval"] = "00:00:00.200",
        ["Worker__CheckpointEvery"] = "2000",
        ["Jobs__InvisibilityTimeout"] = InvisibilityTimeout.ToString("c", CultureInfo.InvariantCulture),
        ["Worker__LeaseTimeout"] = "00:00:04",
        ["Worker__ReaperInterval"] = "00:00:00.500",
        ["Worker__JoblessGrace"] = "00:00:03", // a run still without a job this long after its submission lost its enqueue
        ["Logging__LogLevel__Default"] = "Information",
        ["Logging__LogLevel__Microsoft.EntityFrameworkCore"] = "Warning",
        ["DOTNET_ENVIRONMENT"] = "Production",
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
    };
}

/// <summary>The service tests: one <see cref="ServiceFixture"/>, tests one after another, beside the other collections.</summary>
[CollectionDefinition(Name)]
public sealed class ServiceCollection : ICollectionFixture<ServiceFixture>
{
    public const string Name = "service";
}

/// <summary>
/// Tests that restart PostgreSQL. The restart cuts every connection of the cluster, so these run with a service of
/// their own and with parallelisation off: xunit runs them after the parallel collections, when no other test
/// uses the database.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DatabaseRestartCollection : ICollectionFixture<ServiceFixture>
{
    public const string Name = "database restarts";
}

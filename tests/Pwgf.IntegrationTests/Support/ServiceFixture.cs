using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Pwgf.Api.Comparisons;
using Pwgf.Api.Hosting;
using Pwgf.Api.Runs;
using Pwgf.Api.Series;
using Pwgf.Infrastructure.Entities;
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

    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(45);

    /// <summary>Bounds start-up only against a hang: on a machine shared by several builds it can take minutes.</summary>
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5);

    public static JsonSerializerOptions Json { get; } = CreateJsonOptions();

    private readonly List<ServiceProcess> _workers = [];
    private readonly Dictionary<ServiceProcess, int> _metricsPorts = [];
    private ServiceStack? _stack;

    public string ConnectionString { get; private set; } = "";

    /// <summary>The installation's admin key; <see cref="Client"/> sends it with every request.</summary>
    public string AdminKey { get; } = Pwgf.Infrastructure.Entities.ApiKey.NewSecret();

    public HttpClient Client { get; private set; } = new();

    /// <summary>A client that sends no key.</summary>
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
        Anonymous = new HttpClient { BaseAddress = _stack.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
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

    /// <summary>Cancels a comparison and waits until every run is final; for `finally` blocks of tests with long runs.</summary>
    public async Task CancelAsync(Guid comparisonId)
    {
        using var response = await Client.PostAsync($"/api/v1/comparisons/{comparisonId}/cancel", null);
        await WaitForFinalAsync(comparisonId, TimeSpan.FromMinutes(2));
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

    public async Task<ComparisonDetails> GetComparisonAsync(Guid id) =>
        (await Client.GetFromJsonAsync<ComparisonDetails>($"/api/v1/comparisons/{id}", Json))!;

    /// <summary>Polls a one-run comparison until its run meets <paramref name="condition"/> or is final; returns the run.</summary>
    public async Task<RunDetails> WaitForRunAsync(Guid comparisonId, Func<RunDetails, bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (true)
        {
            var run = (await GetComparisonAsync(comparisonId)).Runs.Single();
            if (condition(run) || run.Status.IsFinal()) return run;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"run stuck at {run.Status} {run.Step}\n{Logs}");
            await Task.Delay(50);
        }
    }

    /// <summary>Polls until every run is final; fails with the service logs after the timeout.</summary>
    public async Task<ComparisonDetails> WaitForFinalAsync(Guid id, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var comparison = await GetComparisonAsync(id);
            if (comparison.Runs.All(r => r.Status.IsFinal())) return comparison;
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Comparison {id} still {comparison.Status} after {timeout}.\n{Logs}");
            }
            await Task.Delay(250);
        }
    }

    /// <summary>Submits a comparison with the admin key and insists on 202.</summary>
    public async Task<ComparisonAccepted> SubmitAsync(string json)
    {
        using var response = await Client.PostAsync("/api/v1/comparisons", Body(json));
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<ComparisonAccepted>(Json))!;
    }

    public static StringContent Body(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    public async Task<MetricSeries> GetMetricAsync(Guid runId, string name, int? afterStep = null)
    {
        string query = afterStep is null ? $"name={name}" : $"name={name}&afterStep={afterStep}";
        return (await Client.GetFromJsonAsync<MetricSeries>($"/api/v1/runs/{runId}/metrics?{query}", Json))!;
    }

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
        var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);
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

    private static JsonSerializerOptions CreateJsonOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        ApiDefaults.Configure(options);
        return options;
    }
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

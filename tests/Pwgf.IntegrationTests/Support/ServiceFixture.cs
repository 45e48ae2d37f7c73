using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Pwgf.Api.Comparisons;
using Pwgf.Api.Hosting;
using Pwgf.Api.Runs;
using Pwgf.Api.Series;
using Pwgf.Infrastructure.Entities;

namespace Pwgf.IntegrationTests.Support;

/// <summary>
/// The whole service as real processes on a database of its own: the migrator runs once, then the API listens on a
/// free loopback port and one worker trains. Tests talk to it over HTTP only.
/// </summary>
public sealed class ServiceFixture : IAsyncLifetime
{
    public static JsonSerializerOptions Json { get; } = CreateJsonOptions();

    private readonly List<ServiceProcess> _workers = [];
    private ServiceProcess? _api;

    public string ConnectionString { get; private set; } = "";

    /// <summary>The installation's admin key; <see cref="Client"/> sends it with every request.</summary>
    public string AdminKey { get; } = Pwgf.Infrastructure.Entities.ApiKey.NewSecret();

    public HttpClient Client { get; private set; } = new();

    /// <summary>A client that sends no key.</summary>
    public HttpClient Anonymous { get; private set; } = new();
    public Uri BaseAddress => Client.BaseAddress!;

    public async Task InitializeAsync()
    {
        ConnectionString = await TestCluster.CreateDatabaseAsync("pwgf_e2e");

        using (var migrator = ServiceProcess.Start(Repository.Program("migrations", "Pwgf.Migrator"), Environment()))
        {
            int exit = await migrator.WaitForExitAsync(TimeSpan.FromMinutes(2));
            if (exit != 0) throw new InvalidOperationException($"The migrator failed ({exit}):\n{migrator.Output}");
        }

        int port = FreePort();
        _api = ServiceProcess.Start(Repository.Program("api", "Pwgf.Api"), Environment(), "--urls", $"http://127.0.0.1:{port}");
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        Client.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);
        Anonymous = new HttpClient { BaseAddress = Client.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        await WaitUntilReadyAsync(_api, Client);

        StartWorker();
    }

    public ServiceProcess StartWorker()
    {
        // Every worker serves its Prometheus metrics on a port of its own.
        int metricsPort = FreePort();
        var environment = Environment();
        environment["Worker__MetricsPort"] = metricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var worker = ServiceProcess.Start(Repository.Program("worker", "Pwgf.Worker"), environment);
        _workers.Add(worker);
        WorkerMetricsPorts.Add(metricsPort);
        return worker;
    }

    public List<int> WorkerMetricsPorts { get; } = [];

    /// <summary>
    /// Stops every live worker gracefully and starts one: tests that look at a worker's share of the cores need to
    /// know how many workers the machine has, whatever earlier tests started.
    /// </summary>
    public async Task<ServiceProcess> OneWorkerAsync()
    {
        foreach (var worker in _workers.Where(w => !w.HasExited)) await worker.TerminateAsync(TimeSpan.FromSeconds(45));
        return StartWorker();
    }

    /// <summary>One more worker started the operator's way, with ./pwgf worker.</summary>
    public ServiceProcess StartWorkerWithScript()
    {
        var worker = ServiceProcess.Script(Environment(), "worker");
        _workers.Add(worker);
        return worker;
    }

    public IReadOnlyList<ServiceProcess> Workers => _workers;

    public string Logs => $"--- api ---\n{_api?.Output}\n" + string.Join("\n", _workers.Select((w, i) => $"--- worker {i} ---\n{w.Output}"));

    public async Task<ComparisonDetails> GetComparisonAsync(Guid id) =>
        (await Client.GetFromJsonAsync<ComparisonDetails>($"/api/v1/comparisons/{id}", Json))!;

    /// <summary>Polls until every run is final; fails with the service logs after the timeout.</summary>
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

    public async Task DisposeAsync()
    {
        foreach (var worker in _workers) worker.Dispose();
        _api?.Dispose();
        Client.Dispose();
        Anonymous.Dispose();
        if (ConnectionString.Length > 0) await TestCluster.DropDatabaseAsync(ConnectionString);
    }

    /// <summary>A second API process on the same database, with extra settings; the caller disposes it.</summary>
    public async Task<(ServiceProcess Process, HttpClient Client)> StartApiAsync(IReadOnlyDictionary<string, string> settings)
    {
        int port = FreePort();
        var environment = Environment();
        foreach (var (key, value) in settings) environment[key] = value;
        var api = ServiceProcess.Start(Repository.Program("api", "Pwgf.Api"), environment, "--urls", $"http://127.0.0.1:{port}");
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);
        await WaitUntilReadyAsync(api, client);
        return (api, client);
    }

    private Dictionary<string, string> Environment() => new()
    {
        ["Api__BootstrapAdminKey"] = AdminKey,
        ["Api__SubmissionsPerMinute"] = "100000", // the suite submits hundreds of (mostly hostile) requests a minute
        ["ConnectionStrings__Pwgf"] = ConnectionString,
        ["Worker__FlushInterval"] = "00:00:00.200",
        ["Worker__CheckpointEvery"] = "2000",
        ["Jobs__InvisibilityTimeout"] = "00:00:02",
        ["Worker__LeaseTimeout"] = "00:00:04",
        ["Worker__ReaperInterval"] = "00:00:00.500",
        ["Logging__LogLevel__Default"] = "Information",
        ["Logging__LogLevel__Microsoft.EntityFrameworkCore"] = "Warning",
    };

    private static async Task WaitUntilReadyAsync(ServiceProcess api, HttpClient client)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (api.HasExited) throw new InvalidOperationException($"The API exited:\n{api.Output}");
            try
            {
                using var response = await client.GetAsync("/health/ready");
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"The API never became ready:\n{api.Output}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static JsonSerializerOptions CreateJsonOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        ApiDefaults.Configure(options);
        return options;
    }
}

[CollectionDefinition(Name)]
public sealed class ServiceCollection : ICollectionFixture<ServiceFixture>
{
    public const string Name = "service";
}

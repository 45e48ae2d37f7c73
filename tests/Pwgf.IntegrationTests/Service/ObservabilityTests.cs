using System.Net;
using System.Net.Http.Json;
using Pwgf.Api.Comparisons;
using Pwgf.Infrastructure.Entities;
using Pwgf.IntegrationTests.Support;

namespace Pwgf.IntegrationTests.Service;

[Collection(ServiceCollection.Name)]
public sealed class ObservabilityTests(ServiceFixture service)
{
    [Fact]
    public async Task Readiness_reports_the_database_and_hangfire_storage()
    {
        using var response = await service.Client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Workers_export_training_throughput_and_metric_write_latency_and_the_api_exports_runs_by_state()
    {
        using var submitted = await service.Client.PostAsync("/api/v1/comparisons", ServiceFixture.Body(
            """{"task": "bernoulli-toy", "estimators": ["st"], "seeds": [41], "steps": 400, "evalEvery": 50}"""));
        var id = (await submitted.Content.ReadFromJsonAsync<ComparisonAccepted>(ServiceFixture.Json))!.Id;
        Assert.Equal(RunStatus.Succeeded, (await service.WaitForFinalAsync(id, TimeSpan.FromMinutes(1))).Status);

        using var plain = new HttpClient();
        var exports = new List<string>();
        foreach (int port in service.WorkerMetricsPorts)
        {
            try
            {
                exports.Add(await plain.GetStringAsync($"http://127.0.0.1:{port}/metrics"));
            }
            catch (HttpRequestException)
            {
                // a worker killed by an earlier test
            }
        }
        // Whichever worker trained the run (earlier tests may have started several) exports its steps.
        string? worker = exports.FirstOrDefault(e => e.Contains("pwgf_training_steps", StringComparison.Ordinal));
        Assert.NotNull(worker);
        Assert.Contains("pwgf_metrics_write_duration", worker);
        Assert.Contains("pwgf_training_step_rate", worker);

        // The API samples run states every few seconds.
        string api = "";
        for (int i = 0; i < 40 && !api.Contains("state=\"Succeeded\"", StringComparison.Ordinal); i++)
        {
            await Task.Delay(250);
            api = await service.Anonymous.GetStringAsync("/metrics");
        }
        Assert.Contains("pwgf_runs", api);
        Assert.Contains("state=\"Succeeded\"", api);
        Assert.Contains("http_server_request_duration", api);
    }
}

using System.Net;
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
        await service.ResetAsync(); // exactly one worker, which serves its metrics
        var id = (await service.Api.SubmitAsync(
            """{"task": "bernoulli-toy", "estimators": ["st"], "seeds": [41], "steps": 400, "evalEvery": 50}""")).Id;
        Assert.Equal(RunStatus.Succeeded, (await service.WithinAsync(TimeSpan.FromMinutes(1), limit => service.Api.WaitForFinalAsync(id, ServiceFixture.Poll, limit))).Status);

        using var plain = new HttpClient();
        string worker = await plain.GetStringAsync($"http://127.0.0.1:{Assert.Single(service.WorkerMetricsPorts)}/metrics");
        Assert.Contains("pwgf_training_steps", worker);
        Assert.Contains("pwgf_metrics_write_duration", worker);
        Assert.Contains("pwgf_training_step_rate", worker);

        // The API samples run states every few seconds: wait until the export shows the run's.
        string api = await service.Anonymous.GetStringAsync("/metrics");
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (!api.Contains("state=\"Succeeded\"", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
            api = await service.Anonymous.GetStringAsync("/metrics");
        }
        Assert.Contains("pwgf_runs", api);
        Assert.Contains("state=\"Succeeded\"", api);
        Assert.Contains("http_server_request_duration", api);
    }
}

using System.Net;
using Pwgf.Api.Comparisons;
using Pwgf.Api.Diagnostics;
using Pwgf.Api.Keys;
using Pwgf.Client;
using Pwgf.Infrastructure.Entities;
using Pwgf.IntegrationTests.Support;

namespace Pwgf.IntegrationTests.Service;

/// <summary>
/// The typed client (shared/Pwgf.Client) against the real service: every call the bench and the tests make, read
/// into the API's own contract records, and a refusal surfaced with its ProblemDetails.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class TypedClientTests(ServiceFixture service)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    private PwgfClient Client() => service.ApiWithKey(service.AdminKey);

    [Fact]
    public async Task A_comparison_goes_from_submission_to_its_series_summary_and_plot()
    {
        using var client = Client();
        var request = new SubmitComparisonRequest("poisson-toy", null, [Json("\"st\""), Json("""{"name": "reinforce-loo", "samples": 3}""")],
            [1, 2], 40, null, 10);

        var accepted = await client.SubmitAsync(request, idempotencyKey: $"typed-client-{Guid.NewGuid()}");
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var finished = await client.WaitForFinalAsync(accepted.Id, Poll, limit.Token);

        Assert.Equal(RunStatus.Succeeded, finished.Status);
        Assert.Equal(["st", "st", "reinforce-loo(samples=3)", "reinforce-loo(samples=3)"], finished.Runs.Select(r => r.Estimator));
        var run = await client.GetRunAsync(finished.Runs[0].Id);
        Assert.Equal((40, RunStatus.Succeeded), (run.Step, run.Status));
        var loss = await client.GetRunMetricsAsync(run.Id, "loss");
        Assert.Equal([0, 10, 20, 30, 40], loss.Points.Select(p => p.Step));
        Assert.Equal([30, 40], (await client.GetRunMetricsAsync(run.Id, "loss", afterStep: 20)).Points.Select(p => p.Step));
        var together = await client.GetComparisonMetricsAsync(accepted.Id, "loss", maxPoints: 3);
        Assert.All(together.Runs, r => Assert.Equal([0, 20, 40], r.Points.Select(p => p.Step)));
        var summary = await client.GetSummaryAsync(accepted.Id);
        Assert.Equal([2, 2], summary.Select(s => s.Succeeded));
        byte[] png = await client.GetPlotAsync(accepted.Id, "loss", width: 320, height: 240);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        var listed = await client.ListComparisonsAsync(pageSize: 100);
        Assert.Contains(listed.Items, item => item.Id == accepted.Id);
    }

    [Fact]
    public async Task Refusals_carry_the_problem_and_cancellation_and_waiting_for_a_run_work()
    {
        using var client = Client();

        var refused = await client.TrySubmitAsync("""{"task": "poisson-toy", "estimators": ["st"], "seeds": [1, 1], "steps": 10}""");
        Assert.Equal((HttpStatusCode.BadRequest, null), (refused.Status, refused.Id));
        Assert.Contains("seeds", refused.Problem!.Errors.Keys);
        var thrown = await Assert.ThrowsAsync<PwgfApiException>(() => client.GetComparisonAsync(Guid.NewGuid()));
        Assert.Equal((HttpStatusCode.NotFound, "No such comparison."), (thrown.Status, thrown.Problem!.Title));

        var accepted = await client.SubmitAsync("""{"task": "poisson-toy", "estimators": ["st"], "seeds": [1], "steps": 5000000, "evalEvery": 1000}""");
        try
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            var started = await client.WaitForRunAsync(accepted.Id, r => r.Step > 0, Poll, limit.Token);
            var cancelled = await client.CancelRunAsync(started.Id);
            Assert.Equal(started.Id, cancelled.Id);
            var over = await client.WaitForRunAsync(accepted.Id, r => r.Status.IsFinal(), Poll, limit.Token);
            Assert.Equal(RunStatus.Cancelled, over.Status);
        }
        finally
        {
            await client.CancelComparisonAsync(accepted.Id);
        }
    }

    [Fact]
    public async Task Catalogue_audits_and_keys_are_typed()
    {
        using var client = Client();

        Assert.Contains(await client.ListEstimatorsAsync(), e => e.Name == "reinforce-loo" && e.Parameters.Any(p => p.Name == "samples"));
        Assert.Contains(await client.ListTasksAsync(), t => t.Name == "poisson-toy" && t.Metrics.Contains("loss"));
        Assert.Contains(await client.ListDatasetsAsync(), d => d.Name == "synthetic" && d.Available);

        var audit = await client.AuditAsync(new DiagnosticsRequest("bernoulli", Json("[0]"),
            new DiagnosticsObjectiveRequest("power", 0.45, 2, null), [Json("\"exact\"")], 100, 3));
        // Exact gradient of E[(z - 0.45)^2] at logit 0: p(1 - p)((1 - t)^2 - t^2) = 0.25 x 0.1.
        Assert.Equal(0.025, audit.Exact[0], 9);
        Assert.Equal(0.025, audit.Results[0].Mean[0], 9);

        var created = await client.CreateKeyAsync("typed client", [Scopes.Submit]);
        Assert.Contains(await client.ListKeysAsync(), k => k.Id == created.Id && k.RevokedAt is null);
        using (var submitter = service.ApiWithKey(created.Key))
        {
            var refused = await Assert.ThrowsAsync<PwgfApiException>(() => submitter.ListKeysAsync());
            Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        }
        await client.RevokeKeyAsync(created.Id);
        Assert.Contains(await client.ListKeysAsync(), k => k.Id == created.Id && k.RevokedAt is not null);
    }

    private static System.Text.Json.JsonElement Json(string text) => System.Text.Json.JsonDocument.Parse(text).RootElement.Clone();
}

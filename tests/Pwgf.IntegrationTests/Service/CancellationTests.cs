using System.Net;
using Pwgf.Api.Comparisons;
using Pwgf.Infrastructure.Entities;
using Pwgf.IntegrationTests.Support;

namespace Pwgf.IntegrationTests.Service;

[Collection(ServiceCollection.Name)]
public sealed class CancellationTests(ServiceFixture service)
{
    [Fact]
    public async Task Cancelling_a_comparison_stops_the_running_run_and_the_queued_ones_never_start()
    {
        // Four long runs on exactly one worker: one trains, three wait in the queue.
        await service.ResetAsync();
        var accepted = await service.Api.SubmitAsync("""
            {"task": "bernoulli-toy", "estimators": ["st", "reinforce-loo"], "seeds": [1, 2], "steps": 5000000, "evalEvery": 1000}
            """);
        ComparisonDetails comparison;
        try
        {
            await WaitUntilAsync(async () => (await service.Api.GetComparisonAsync(accepted.Id)).Runs.Any(r => r.Status == RunStatus.Running && r.Step > 0));

            await service.Api.CancelComparisonAsync(accepted.Id); // insists on 202 Accepted
            comparison = await service.WithinAsync(TimeSpan.FromMinutes(2), limit => service.Api.WaitForFinalAsync(accepted.Id, ServiceFixture.Poll, limit));
        }
        finally
        {
            await service.CancelAsync(accepted.Id);
        }

        Assert.Equal(RunStatus.Cancelled, comparison.Status);
        Assert.All(comparison.Runs, run => Assert.Equal(RunStatus.Cancelled, run.Status));
        var stopped = Assert.Single(comparison.Runs, r => r.Step > 0);
        Assert.True(stopped.Step < stopped.Steps);
        Assert.All(comparison.Runs.Where(r => r.Id != stopped.Id), run => Assert.Null(run.StartedAt)); // never started

        // The worker is free again.
        var next = await service.Api.SubmitAsync("""{"task": "poisson-toy", "estimators": ["st"], "seeds": [1], "steps": 20}""");
        Assert.Equal(RunStatus.Succeeded, (await service.WithinAsync(TimeSpan.FromMinutes(1), limit => service.Api.WaitForFinalAsync(next.Id, ServiceFixture.Poll, limit))).Status);
    }

    [Fact]
    public async Task Cancelling_a_finished_run_changes_nothing_and_an_unknown_run_is_not_found()
    {
        var accepted = await service.Api.SubmitAsync("""{"task": "poisson-toy", "estimators": ["exact"], "seeds": [9], "steps": 10}""");
        var run = Assert.Single((await service.WithinAsync(TimeSpan.FromMinutes(1), limit => service.Api.WaitForFinalAsync(accepted.Id, ServiceFixture.Poll, limit))).Runs);

        var after = await service.Api.CancelRunAsync(run.Id); // insists on 202 Accepted

        Assert.Equal((RunStatus.Succeeded, run.FinishedAt), (after.Status, after.FinishedAt));
        using var missing = await service.Client.PostAsync($"/api/v1/runs/{Guid.NewGuid()}/cancel", null);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using var missingComparison = await service.Client.PostAsync($"/api/v1/comparisons/{Guid.NewGuid()}/cancel", null);
        Assert.Equal(HttpStatusCode.NotFound, missingComparison.StatusCode);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition never held");
            await Task.Delay(100);
        }
    }
}

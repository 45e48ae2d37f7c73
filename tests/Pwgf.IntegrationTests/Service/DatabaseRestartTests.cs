using System.Net;
using Pwgf.Api.Comparisons;
using Pwgf.Client;
using Pwgf.Infrastructure.Entities;
using Pwgf.IntegrationTests.Support;

namespace Pwgf.IntegrationTests.Service;

/// <summary>The database restarting under a running run (in the serial collection: the restart cuts every connection).</summary>
[Collection(DatabaseRestartCollection.Name)]
public sealed class DatabaseRestartTests(ServiceFixture service)
{
    [Fact]
    public async Task A_run_survives_a_postgresql_restart_in_the_middle()
    {
        var id = (await service.Api.SubmitAsync("""
            {"task": "poisson-toy", "estimators": ["st"], "seeds": [31], "steps": 30000, "evalEvery": 200}
            """)).Id;
        var before = (await PollAsync(id, c => c.Runs[0].Status == RunStatus.Running && c.Runs[0].Step >= 2500)).Runs[0];
        Assert.True(before.Status == RunStatus.Running && before.Step < before.Steps, "the run must still be training when the database goes down");

        await TestCluster.RestartAsync();

        var comparison = await PollAsync(id, c => c.Runs[0].Status.IsFinal());
        var run = comparison.Runs[0];
        Assert.True(run.Status == RunStatus.Succeeded, $"{run.Status}: {run.Error}\n{service.Logs}");
        var loss = await service.Api.GetRunMetricsAsync(run.Id, "loss");
        Assert.Equal(Enumerable.Range(0, 151).Select(i => i * 200), loss.Points.Select(p => p.Step));
    }

    /// <summary>Polls, riding out the seconds in which the API itself cannot reach the database.</summary>
    private async Task<ComparisonDetails> PollAsync(Guid id, Func<ComparisonDetails, bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (true)
        {
            try
            {
                var comparison = await service.Api.GetComparisonAsync(id);
                if (condition(comparison) || comparison.Runs.All(r => r.Status.IsFinal())) return comparison;
            }
            catch (PwgfApiException refused) when (refused.Status >= HttpStatusCode.InternalServerError)
            {
                // 500 while the database restarts
            }
            catch (HttpRequestException)
            {
                // a connection cut by the restart
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"comparison {id} never got there\n{service.Logs}");
            await Task.Delay(100);
        }
    }
}

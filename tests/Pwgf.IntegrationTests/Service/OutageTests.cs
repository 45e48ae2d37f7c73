using System.Net;
using System.Net.Http.Json;
using Npgsql;
using Pwgf.Api.Comparisons;
using Pwgf.Infrastructure.Entities;
using Pwgf.IntegrationTests.Support;

namespace Pwgf.IntegrationTests.Service;

/// <summary>The database restarting under a running run, and Hangfire's invisibility timeout shorter than a run.</summary>
[Collection(ServiceCollection.Name)]
public sealed class OutageTests(ServiceFixture service)
{
    [Fact]
    public async Task A_run_survives_a_postgresql_restart_in_the_middle()
    {
        var id = (await service.SubmitAsync("""
            {"task": "poisson-toy", "estimators": ["st"], "seeds": [31], "steps": 30000, "evalEvery": 200}
            """)).Id;
        var before = (await PollAsync(id, c => c.Runs[0].Status == RunStatus.Running && c.Runs[0].Step >= 2500)).Runs[0];
        Assert.True(before.Status == RunStatus.Running && before.Step < before.Steps, "the run must still be training when the database goes down");

        TestCluster.Restart();

        var comparison = await PollAsync(id, c => c.Runs[0].Status.IsFinal());
        var run = comparison.Runs[0];
        Assert.True(run.Status == RunStatus.Succeeded, $"{run.Status}: {run.Error}\n{service.Logs}");
        var loss = await service.GetMetricAsync(run.Id, "loss");
        Assert.Equal(Enumerable.Range(0, 151).Select(i => i * 200), loss.Points.Select(p => p.Step));
    }

    [Fact]
    public async Task A_run_longer_than_the_invisibility_timeout_executes_once()
    {
        // The fixture sets Hangfire's invisibility timeout to 2 s; a second worker stands ready to take the job.
        // The run must last well past it: 50,000 steps took about 10 s here (20,000 once took under 4 s).
        service.StartWorker();
        var id = (await service.SubmitAsync("""
            {"task": "poisson-toy", "estimators": ["reinforce-loo"], "seeds": [32], "steps": 50000, "evalEvery": 250}
            """)).Id;
        var comparison = await PollAsync(id, c => c.Runs[0].Status.IsFinal());
        var run = comparison.Runs[0];

        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.True(run.FinishedAt - run.StartedAt > TimeSpan.FromSeconds(4), $"the run took only {run.FinishedAt - run.StartedAt}");
        Assert.Equal(1, run.Attempts);
        Assert.Equal(1, await ProcessingStatesAsync(run.Id));
    }

    [Fact]
    public async Task A_queued_run_whose_job_ended_without_training_it_gets_a_new_job()
    {
        // What a job that failed before it could start its run leaves (the database was unreachable as it began):
        // the run Queued, its job Failed. Set up with no worker running, then one worker is started.
        foreach (var worker in service.Workers.Where(w => !w.HasExited)) await worker.TerminateAsync(TimeSpan.FromSeconds(45));
        var accepted = await service.SubmitAsync("""{"task": "poisson-toy", "estimators": ["st"], "seeds": [33], "steps": 50}""");
        await using (var connection = new NpgsqlConnection(service.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                """
                UPDATE hangfire.job SET statename = 'Failed'
                WHERE id = (SELECT r.job_id::bigint FROM pwgf.runs r WHERE r.comparison_id = @comparison);
                DELETE FROM hangfire.jobqueue
                WHERE jobid = (SELECT r.job_id::bigint FROM pwgf.runs r WHERE r.comparison_id = @comparison);
                """, connection);
            command.Parameters.AddWithValue("comparison", accepted.Id);
            Assert.Equal(2, await command.ExecuteNonQueryAsync());
        }

        var successor = service.StartWorker();
        var run = Assert.Single((await service.WaitForFinalAsync(accepted.Id, TimeSpan.FromMinutes(1))).Runs);

        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal(1, run.Attempts);
        Assert.Contains($"Run {run.Id} was queued but its job", successor.Output);
    }

    /// <summary>How many times Hangfire moved the run's job to Processing (a second execution would add one).</summary>
    private async Task<long> ProcessingStatesAsync(Guid runId)
    {
        await using var connection = new NpgsqlConnection(service.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT count(*) FROM hangfire.state s JOIN pwgf.runs r ON s.jobid = r.job_id::bigint
            WHERE r.id = @run AND s.name = 'Processing'
            """, connection);
        command.Parameters.AddWithValue("run", runId);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Polls, riding out the seconds in which the API itself cannot reach the database.</summary>
    private async Task<ComparisonDetails> PollAsync(Guid id, Func<ComparisonDetails, bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (true)
        {
            try
            {
                var comparison = await service.GetComparisonAsync(id);
                if (condition(comparison) || comparison.Runs.All(r => r.Status.IsFinal())) return comparison;
            }
            catch (HttpRequestException)
            {
                // 500 while the database restarts
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"comparison {id} never got there\n{service.Logs}");
            await Task.Delay(100);
        }
    }
}

using Npgsql;
using Pwgf.Api.Comparisons;
using Pwgf.Infrastructure.Entities;
using Pwgf.IntegrationTests.Support;

namespace Pwgf.IntegrationTests.Service;

/// <summary>Hangfire's invisibility timeout shorter than a run, and a job that ended without training its run.</summary>
[Collection(ServiceCollection.Name)]
public sealed class OutageTests(ServiceFixture service)
{
    [Fact]
    public async Task A_run_longer_than_the_invisibility_timeout_executes_once()
    {
        // A second worker stands ready to take the job should Hangfire hand it out again after its invisibility
        // timeout. The run is watched until it has trained for three such timeouts (by the database's clock, the
        // one Hangfire's storage uses), then cancelled.
        await service.ResetAsync();
        service.StartWorker();
        var id = (await service.Api.SubmitAsync("""
            {"task": "poisson-toy", "estimators": ["reinforce-loo"], "seeds": [32], "steps": 5000000, "evalEvery": 250}
            """)).Id;
        try
        {
            await WaitUntilTrainedForAsync(id, 3 * ServiceFixture.InvisibilityTimeout);
        }
        finally
        {
            await service.CancelAsync(id);
        }
        var run = (await service.Api.GetComparisonAsync(id)).Runs[0];

        Assert.Equal(RunStatus.Cancelled, run.Status);
        Assert.Equal(1, run.Attempts);
        Assert.Equal(1, await ProcessingStatesAsync(run.Id));
    }

    [Fact]
    public async Task A_queued_run_whose_job_ended_without_training_it_gets_a_new_job()
    {
        // What a job that failed before it could start its run leaves (the database was unreachable as it began):
        // the run Queued, its job Failed. Set up with no worker running, then one worker is started.
        foreach (var worker in service.Workers.Where(w => !w.HasExited)) await worker.TerminateAsync(TimeSpan.FromSeconds(45));
        var accepted = await service.Api.SubmitAsync("""{"task": "poisson-toy", "estimators": ["st"], "seeds": [33], "steps": 50}""");
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
        var run = Assert.Single((await service.WithinAsync(TimeSpan.FromMinutes(1), limit => service.Api.WaitForFinalAsync(accepted.Id, ServiceFixture.Poll, limit))).Runs);

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

    /// <summary>Waits until the comparison's one run has been Running for <paramref name="span"/>; fails if it ends first.</summary>
    private async Task WaitUntilTrainedForAsync(Guid comparisonId, TimeSpan span)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (true)
        {
            await using (var connection = new NpgsqlConnection(service.ConnectionString))
            {
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand(
                    "SELECT status, extract(epoch FROM now() - started_at)::float8 FROM pwgf.runs WHERE comparison_id = @comparison", connection);
                command.Parameters.AddWithValue("comparison", comparisonId);
                await using var reader = await command.ExecuteReaderAsync();
                Assert.True(await reader.ReadAsync());
                string status = reader.GetString(0);
                Assert.False(status is "Succeeded" or "Failed" or "Cancelled", $"the run ended ({status}) before it outlasted the timeout");
                if (status == "Running" && !reader.IsDBNull(1) && reader.GetDouble(1) > span.TotalSeconds) return;
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the run never trained for {span}\n{service.Logs}");
            await Task.Delay(100);
        }
    }
}

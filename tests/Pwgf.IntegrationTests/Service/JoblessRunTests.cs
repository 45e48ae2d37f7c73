using Npgsql;
using Pwgf.Infrastructure.Entities;
using Pwgf.IntegrationTests.Support;

namespace Pwgf.IntegrationTests.Service;

/// <summary>
/// Queued runs that no Hangfire job will ever train: the API committed them but never enqueued (it crashed or the
/// enqueue failed), or Hangfire no longer has their job. The worker's reaper adopts them and they train.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class JoblessRunTests(ServiceFixture service)
{
    private const string Request = """{"task": "poisson-toy", "estimators": ["st", "pwgf"], "seeds": [31], "steps": 50}""";

    [Fact]
    public async Task Runs_committed_without_a_job_are_adopted_and_trained()
    {
        var accepted = await SubmitWithoutWorkersAsync(Request);

        // What an API that crashed between the commit and the enqueue leaves behind: the runs, no job, no job id.
        int changed = await ExecuteAsync(
            """
            DELETE FROM hangfire.jobqueue WHERE jobid IN (SELECT job_id::bigint FROM pwgf.runs WHERE comparison_id = @comparison);
            DELETE FROM hangfire.job WHERE id IN (SELECT job_id::bigint FROM pwgf.runs WHERE comparison_id = @comparison);
            UPDATE pwgf.runs SET job_id = NULL WHERE comparison_id = @comparison;
            """, accepted);
        Assert.Equal(6, changed); // two queue entries, two jobs, two runs

        await AssertTrainedOnceAsync(accepted);
    }

    [Fact]
    public async Task A_run_whose_job_row_vanished_is_adopted_and_trained()
    {
        var accepted = await SubmitWithoutWorkersAsync(Request.Replace("[31]", "[32]"));

        // Hangfire purged (or an operator deleted) the jobs; the runs still name them.
        int changed = await ExecuteAsync(
            """
            DELETE FROM hangfire.jobqueue WHERE jobid IN (SELECT job_id::bigint FROM pwgf.runs WHERE comparison_id = @comparison);
            DELETE FROM hangfire.job WHERE id IN (SELECT job_id::bigint FROM pwgf.runs WHERE comparison_id = @comparison);
            """, accepted);
        Assert.Equal(4, changed);

        await AssertTrainedOnceAsync(accepted);
    }

    /// <summary>Submits while no worker runs, so the jobs stay in the queue for the test to tamper with.</summary>
    private async Task<Guid> SubmitWithoutWorkersAsync(string request)
    {
        await service.ResetAsync();
        foreach (var worker in service.Workers.Where(w => !w.HasExited)) await worker.TerminateAsync(TimeSpan.FromSeconds(45));
        return (await service.Api.SubmitAsync(request)).Id;
    }

    private async Task AssertTrainedOnceAsync(Guid comparisonId)
    {
        service.StartWorker();
        var comparison = await service.WithinAsync(TimeSpan.FromMinutes(2), limit => service.Api.WaitForFinalAsync(comparisonId, ServiceFixture.Poll, limit));
        Assert.Equal(2, comparison.Runs.Count);
        Assert.All(comparison.Runs, run => Assert.Equal((RunStatus.Succeeded, 1), (run.Status, run.Attempts)));
    }

    private async Task<int> ExecuteAsync(string sql, Guid comparisonId)
    {
        await using var connection = new NpgsqlConnection(service.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("comparison", comparisonId);
        return await command.ExecuteNonQueryAsync();
    }
}

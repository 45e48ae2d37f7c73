using Npgsql;
using Pwgf.Infrastructure.Entities;
using Pwgf.IntegrationTests.Support;

namespace Pwgf.IntegrationTests.Service;

/// <summary>Real processes killed mid-run: no lost work, no duplicated metrics, the same numbers as an undisturbed run.</summary>
[Collection(ServiceCollection.Name)]
public sealed class CrashRecoveryTests(ServiceFixture service)
{
    private const string Request = """
        {"task": "poisson-toy", "taskOptions": {"dims": 3, "target": 3.4, "batchSize": 16},
         "estimators": ["pwgf"], "seeds": [77], "steps": 30000, "evalEvery": 200,
         "optimizer": {"name": "adam", "learningRate": 0.01}}
        """;

    [Fact]
    public async Task A_run_whose_worker_is_killed_finishes_from_its_checkpoint_with_the_metrics_of_an_undisturbed_run()
    {
        // One worker, killed below: its Hangfire server record outlives it, but its process is gone, so the
        // successor counts itself alone and takes every core, as the killed one did (the manifests must match).
        await service.ResetAsync();
        var accepted = await service.Api.SubmitAsync(Request);
        // Past the second checkpoint (every 2000 steps in the fixture) and well before the end.
        var running = await service.WithinAsync(TimeSpan.FromMinutes(2), limit => service.Api.WaitForRunAsync(accepted.Id, r => r.Status == RunStatus.Running && r.Step >= 4500, ServiceFixture.Poll, limit));
        Assert.True(running.Step < running.Steps, "the run finished before the worker could be killed; make it longer");

        foreach (var worker in service.Workers.Where(w => !w.HasExited)) worker.Kill(); // SIGKILL, as in a crash
        service.StartWorkerWithScript();                                                // ./pwgf worker

        var comparison = await service.WithinAsync(TimeSpan.FromMinutes(3), limit => service.Api.WaitForFinalAsync(accepted.Id, ServiceFixture.Poll, limit));
        var run = Assert.Single(comparison.Runs);
        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal(2, run.Attempts);
        // The manifest is the latest execution's: it names the worker that finished the run, which trained with
        // the same build and libraries on the same machine as the one that was killed.
        Assert.NotEqual(running.Manifest!.Worker, run.Manifest!.Worker);
        Assert.Equal(running.Manifest with { Worker = run.Manifest.Worker }, run.Manifest);

        // Every evaluation step exactly once: no gaps, no duplicates (the crashed worker wrote up to its death,
        // the new one resumed from the checkpoint and rewrote the overlap idempotently).
        var loss = await service.Api.GetRunMetricsAsync(run.Id, "loss");
        Assert.Equal(Enumerable.Range(0, 151).Select(i => i * 200), loss.Points.Select(p => p.Step));

        // Resuming restored parameters, optimiser moments and random streams: the curve is the undisturbed one.
        var again = await service.Api.SubmitAsync(Request);
        var undisturbed = Assert.Single((await service.WithinAsync(TimeSpan.FromMinutes(3), limit => service.Api.WaitForFinalAsync(again.Id, ServiceFixture.Poll, limit))).Runs);
        Assert.Equal(1, undisturbed.Attempts);
        Assert.Equal((await service.Api.GetRunMetricsAsync(undisturbed.Id, "loss")).Points, loss.Points);
        Assert.Equal((await service.Api.GetRunMetricsAsync(undisturbed.Id, "grad_log_variance")).Points,
            (await service.Api.GetRunMetricsAsync(run.Id, "grad_log_variance")).Points);
    }

    [Fact]
    public async Task A_worker_stopped_with_sigterm_checkpoints_and_hands_the_run_back()
    {
        var accepted = await service.Api.SubmitAsync(Request.Replace("[77]", "[78]"));
        var running = await service.WithinAsync(TimeSpan.FromMinutes(2), limit => service.Api.WaitForRunAsync(accepted.Id, r => r.Status == RunStatus.Running && r.Step >= 500, ServiceFixture.Poll, limit));
        Assert.True(running.Step < running.Steps);

        // Every worker stops gracefully; none is left to take the run until a new one starts.
        foreach (var worker in service.Workers.Where(w => !w.HasExited)) await worker.TerminateAsync(TimeSpan.FromSeconds(45));
        var handedBack = (await service.Api.GetComparisonAsync(accepted.Id)).Runs.Single();
        Assert.Equal(RunStatus.Queued, handedBack.Status);
        Assert.True(handedBack.Step >= running.Step, "progress up to the stop was kept");

        var successor = service.StartWorker();
        var run = (await service.WithinAsync(TimeSpan.FromMinutes(3), limit => service.Api.WaitForFinalAsync(accepted.Id, ServiceFixture.Poll, limit))).Runs.Single();

        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal(2, run.Attempts);
        // The stop saved a checkpoint at the last completed step, and the successor resumed exactly there.
        Assert.Contains($"from step {handedBack.Step}", successor.Output);
        var loss = await service.Api.GetRunMetricsAsync(run.Id, "loss");
        Assert.Equal(Enumerable.Range(0, 151).Select(i => i * 200), loss.Points.Select(p => p.Step));
    }

    [Fact]
    public async Task A_checkpoint_in_another_format_fails_the_run_with_a_message_instead_of_resuming_from_it()
    {
        var accepted = await service.Api.SubmitAsync(Request.Replace("[77]", "[79]"));
        var running = await service.WithinAsync(TimeSpan.FromMinutes(2), limit => service.Api.WaitForRunAsync(accepted.Id, r => r.Status == RunStatus.Running && r.Step >= 500, ServiceFixture.Poll, limit));
        foreach (var worker in service.Workers.Where(w => !w.HasExited)) await worker.TerminateAsync(TimeSpan.FromSeconds(45));
        var handedBack = (await service.Api.GetComparisonAsync(accepted.Id)).Runs.Single();
        Assert.Equal(RunStatus.Queued, handedBack.Status);

        // What an older worker left behind: the same state without the format header.
        await using (var connection = new NpgsqlConnection(service.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                "UPDATE pwgf.checkpoints SET state = substring(state from 13) WHERE run_id = @run", connection);
            command.Parameters.AddWithValue("run", running.Id);
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        service.StartWorker();
        var run = (await service.WithinAsync(TimeSpan.FromMinutes(3), limit => service.Api.WaitForFinalAsync(accepted.Id, ServiceFixture.Poll, limit))).Runs.Single();

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains("checkpoint cannot be resumed", run.Error);
        Assert.Contains("no format header", run.Error);
        // No step was trained from the unreadable state: the progress is the stop's.
        Assert.Equal(handedBack.Step, run.Step);
    }
}

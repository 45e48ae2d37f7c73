using Pwgf.Api.Runs;
using Pwgf.Infrastructure.Entities;
using Pwgf.IntegrationTests.Support;
using Pwgf.Training;

namespace Pwgf.IntegrationTests.Service;

/// <summary>Every run a worker trains says what build, libraries and machine trained it.</summary>
[Collection(ServiceCollection.Name)]
public sealed class RunManifestTests(ServiceFixture service)
{
    [Fact]
    public async Task A_finished_run_carries_the_manifest_of_the_worker_that_trained_it()
    {
        var run = await TrainToyRunAsync(seed: 31);
        var manifest = run.Manifest;

        Assert.NotNull(manifest);
        Assert.Equal((run.Seed, run.ConfigHash, "cpu"), (manifest.Seed, manifest.ConfigHash, manifest.Device));
        Assert.False(string.IsNullOrWhiteSpace(manifest.TorchSharpVersion));
        Assert.False(string.IsNullOrWhiteSpace(manifest.LibtorchVersion));
        Assert.Matches("^([0-9a-f]{40}|unknown)$", manifest.Commit);
        // The worker and the API came out of the same build, so they name the same commit.
        Assert.Equal(RunManifest.CommitOf(typeof(RunDetails).Assembly), manifest.Commit);
        Assert.True(manifest.TorchThreads >= 1, $"torch threads {manifest.TorchThreads}");
        Assert.False(string.IsNullOrWhiteSpace(manifest.Worker));
        Assert.Contains(".NET", manifest.RuntimeVersion, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(manifest.OsDescription));
    }

    [Fact]
    public async Task Workers_alive_on_one_machine_share_its_cores()
    {
        // A second worker on this machine: from then on each run takes at most half the cores (CoreShare), since
        // workers that each took every core would spin their OpenMP threads against each other. Both workers are
        // new, so neither has counted the workers yet; the run is submitted once both are registered.
        await service.ResetAsync();
        var extra = service.StartWorker();
        await service.WaitForWorkersRegisteredAsync();
        Assert.False(extra.HasExited, service.Logs);

        var run = await TrainToyRunAsync(seed: 32);
        Assert.InRange(run.Manifest!.TorchThreads, 1, Math.Max(1, Environment.ProcessorCount / 2));
    }

    [Fact]
    public async Task A_worker_started_beside_a_training_run_takes_a_share_and_the_manifest_says_after_which_step()
    {
        if (Environment.ProcessorCount < 2) return; // one core: every worker trains with one thread, nothing changes

        // Exactly one worker on the machine, so the run starts with every core.
        await service.ResetAsync();
        var accepted = await service.Api.SubmitAsync("""
            {"task": "poisson-toy", "estimators": ["st"], "seeds": [33], "steps": 5000000, "evalEvery": 1000}
            """);
        try
        {
            await AssertTheManifestTellsOfTheNewShareAsync(accepted.Id);
        }
        finally
        {
            await service.CancelAsync(accepted.Id);
        }
    }

    private async Task AssertTheManifestTellsOfTheNewShareAsync(Guid comparisonId)
    {
        var started = await service.WithinAsync(TimeSpan.FromMinutes(2), limit => service.Api.WaitForRunAsync(comparisonId, r => r.Status == RunStatus.Running && r.Manifest is not null, ServiceFixture.Poll, limit));
        Assert.Equal(RunStatus.Running, started.Status);
        Assert.Equal(Environment.ProcessorCount, started.Manifest!.TorchThreads);
        Assert.Null(started.Manifest.ThreadsChangedAfterStep);

        // A second worker: the training one halves its threads within the 5 s refresh and says so in the manifest.
        service.StartWorker();
        var changed = await service.WithinAsync(TimeSpan.FromMinutes(2), limit => service.Api.WaitForRunAsync(comparisonId, r => r.Manifest?.ThreadsChangedAfterStep is not null, ServiceFixture.Poll, limit));
        Assert.Equal(RunStatus.Running, changed.Status);
        Assert.InRange(changed.Manifest!.ThreadsChangedAfterStep!.Value, started.Step, changed.Step);
        Assert.Equal(started.Manifest with { ThreadsChangedAfterStep = changed.Manifest.ThreadsChangedAfterStep }, changed.Manifest);
        Assert.Contains($"trains with {Environment.ProcessorCount / 2} libtorch thread(s) after step {changed.Manifest.ThreadsChangedAfterStep}", service.Logs);
    }

    /// <summary>Trains a one-run toy comparison to success and returns the run as the API reports it.</summary>
    private async Task<RunDetails> TrainToyRunAsync(int seed)
    {
        var accepted = await service.Api.SubmitAsync($$"""
            {"task": "poisson-toy", "taskOptions": {"dims": 2, "target": 2.5, "batchSize": 8},
             "estimators": ["pwgf"], "seeds": [{{seed}}], "steps": 40, "evalEvery": 10}
            """);
        var comparison = await service.WithinAsync(TimeSpan.FromMinutes(2), limit => service.Api.WaitForFinalAsync(accepted.Id, ServiceFixture.Poll, limit));
        var listed = Assert.Single(comparison.Runs);
        Assert.Equal(RunStatus.Succeeded, listed.Status);
        return await service.Api.GetRunAsync(listed.Id);
    }

    [Fact]
    public async Task A_queued_run_has_no_manifest_yet()
    {
        // A run cancelled before any worker picks it up was never started, so nothing trained it.
        var accepted = await service.Api.SubmitAsync("""
            {"task": "poisson-toy", "estimators": ["st"], "seeds": [1, 2, 3, 4, 5, 6, 7, 8], "steps": 2000, "evalEvery": 1000}
            """);
        await service.Api.CancelComparisonAsync(accepted.Id); // insists on 202 Accepted
        var comparison = await service.WithinAsync(TimeSpan.FromMinutes(2), limit => service.Api.WaitForFinalAsync(accepted.Id, ServiceFixture.Poll, limit));

        var neverStarted = comparison.Runs.Where(r => r.Attempts == 0).ToList();
        Assert.NotEmpty(neverStarted);
        Assert.All(neverStarted, r => Assert.Null(r.Manifest));
    }
}

/// <summary>Reading the build commit out of an assembly's informational version.</summary>
public sealed class BuildCommitTests
{
    [Theory]
    [InlineData("1.0.0+0123456789abcdef0123456789abcdef01234567", "0123456789abcdef0123456789abcdef01234567")]
    [InlineData("1.0.0+0123456789ABCDEF0123456789ABCDEF01234567", "0123456789abcdef0123456789abcdef01234567")]
    [InlineData("1.0.0", "unknown")]
    [InlineData("1.0.0+local", "unknown")]
    [InlineData(null, "unknown")]
    public void The_commit_is_the_full_hash_after_the_plus_or_unknown(string? informationalVersion, string expected) =>
        Assert.Equal(expected, RunManifest.CommitOf(informationalVersion));
}

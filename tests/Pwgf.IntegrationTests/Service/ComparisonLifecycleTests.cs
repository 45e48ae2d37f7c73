using System.Net;
using System.Net.Http.Json;
using Pwgf.Api.Comparisons;
using Pwgf.Api.Runs;
using Pwgf.Client;
using Pwgf.Infrastructure.Entities;
using Pwgf.IntegrationTests.Support;

namespace Pwgf.IntegrationTests.Service;

/// <summary>Comparisons submitted over HTTP, trained by a real worker, read back from PostgreSQL.</summary>
[Collection(ServiceCollection.Name)]
public sealed class ComparisonLifecycleTests(ServiceFixture service)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Poisson_toy_pwgf_settles_at_the_true_optimum_and_st_at_the_target()
    {
        // The issue's own request: pwgf should approach lambda* = t - 1/2 = 2.9, st the spurious point lambda = t = 3.4.
        using var response = await service.Client.PostAsync("/api/v1/comparisons", ServiceFixture.Body("""
            {"task": "poisson-toy", "taskOptions": {"dims": 3, "target": 3.4, "batchSize": 16},
             "estimators": ["st", "pwgf"], "seeds": [11, 12], "steps": 800,
             "optimizer": {"name": "adam", "learningRate": 0.03}, "evalEvery": 20}
            """));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = (await response.Content.ReadFromJsonAsync<ComparisonAccepted>(PwgfClient.Json))!;
        Assert.Equal($"/api/v1/comparisons/{accepted.Id}", response.Headers.Location!.OriginalString);
        Assert.Equal(RunStatus.Queued, accepted.Status);

        var comparison = await service.WithinAsync(RunTimeout, limit => service.Api.WaitForFinalAsync(accepted.Id, ServiceFixture.Poll, limit));

        Assert.Equal(RunStatus.Succeeded, comparison.Status);
        Assert.Equal([("st", 11L), ("st", 12L), ("pwgf", 11L), ("pwgf", 12L)], comparison.Runs.Select(r => (r.Estimator, r.Seed)));
        Assert.All(comparison.Runs, run => Assert.Equal((800, 800, "cpu"), (run.Step, run.Steps, run.Device)));
        double pwgf = await SettledParameterMeanAsync(comparison, "pwgf");
        double st = await SettledParameterMeanAsync(comparison, "st");
        Assert.InRange(pwgf, 2.9 - 0.15, 2.9 + 0.15);
        Assert.InRange(st, 3.4 - 0.15, 3.4 + 0.15);

        // The summary ranks what the curves show: pwgf's final exact loss is lower (optimum t - 1/4 = 3.15).
        var summary = comparison.Summary.ToDictionary(s => s.Estimator);
        Assert.Equal(2, summary["pwgf"].Succeeded);
        Assert.NotNull(summary["pwgf"].FinalScoreStandardError);
        Assert.True(summary["pwgf"].FinalScoreMean < summary["st"].FinalScoreMean,
            $"pwgf {summary["pwgf"].FinalScoreMean} vs st {summary["st"].FinalScoreMean}");
        Assert.InRange(summary["pwgf"].FinalScoreMean!.Value, 3.15, 3.15 + 0.03);
    }

    [Fact]
    public async Task Bernoulli_toy_losses_fall_and_st_stops_at_its_spurious_fixed_point()
    {
        var accepted = await service.Api.SubmitAsync("""
            {"task": "bernoulli-toy", "taskOptions": {"dims": 4, "target": 0.45, "power": 2, "batchSize": 8},
             "estimators": ["st", {"name": "reinforce-loo", "samples": 2}], "seeds": [1], "steps": 1500,
             "optimizer": {"name": "adam", "learningRate": 0.05}, "evalEvery": 50}
            """);
        var comparison = await service.WithinAsync(RunTimeout, limit => service.Api.WaitForFinalAsync(accepted.Id, ServiceFixture.Poll, limit));
        Assert.Equal(RunStatus.Succeeded, comparison.Status);

        foreach (var run in comparison.Runs)
        {
            var loss = await service.Api.GetRunMetricsAsync(run.Id, "loss");
            Assert.Equal(Enumerable.Range(0, 31).Select(i => i * 50), loss.Points.Select(p => p.Step));
            Assert.Equal(0.2525, loss.Points[0].Value, 1e-12); // p = 1/2: E|z - 0.45|^2 = (0.3025 + 0.2025) / 2
            Assert.True(loss.Points[^1].Value < loss.Points[0].Value, $"{run.Estimator}: loss did not fall");
        }

        // E f = t^2 + p (1 - 2t) is linear in p: ST halts near p = t (0.2475), REINFORCE-LOO reaches p ~ 0 (0.2025).
        double stLoss = (await service.Api.GetRunMetricsAsync(Run(comparison, "st").Id, "loss")).Points[^1].Value;
        double looLoss = (await service.Api.GetRunMetricsAsync(Run(comparison, "reinforce-loo").Id, "loss")).Points[^1].Value;
        Assert.InRange(stLoss, 0.2475 - 0.01, 0.2475 + 0.01);
        Assert.InRange(looLoss, 0.2025, 0.2025 + 0.005);
    }

    [Fact]
    public async Task Metric_polling_with_afterStep_returns_only_newer_points()
    {
        var accepted = await service.Api.SubmitAsync("""
            {"task": "poisson-toy", "estimators": ["exact"], "seeds": [5], "steps": 100, "evalEvery": 10}
            """);
        var comparison = await service.WithinAsync(RunTimeout, limit => service.Api.WaitForFinalAsync(accepted.Id, ServiceFixture.Poll, limit));
        var run = Assert.Single(comparison.Runs);

        var all = await service.Api.GetRunMetricsAsync(run.Id, "loss");
        var later = await service.Api.GetRunMetricsAsync(run.Id, "loss", afterStep: 50);

        Assert.Equal(11, all.Points.Count);
        Assert.Equal([60, 70, 80, 90, 100], later.Points.Select(p => p.Step));
        Assert.Equal(all.Points.Skip(6), later.Points);
        // The exact gradient has no variance, so that metric is absent rather than -infinity.
        Assert.Empty((await service.Api.GetRunMetricsAsync(run.Id, "grad_log_variance")).Points);
        var cosine = await service.Api.GetRunMetricsAsync(run.Id, "grad_cosine");
        Assert.All(cosine.Points, p => Assert.Equal(1.0, p.Value, 1e-9));
    }

    [Fact]
    public async Task Runs_and_comparisons_are_listed_and_fetched_by_id()
    {
        var accepted = await service.Api.SubmitAsync("""{"task": "bernoulli-toy", "estimators": ["st"], "seeds": [3], "steps": 10}""");
        var comparison = await service.WithinAsync(RunTimeout, limit => service.Api.WaitForFinalAsync(accepted.Id, ServiceFixture.Poll, limit));
        var run = Assert.Single(comparison.Runs);

        var fetched = await service.Api.GetRunAsync(run.Id);
        Assert.Equal((run.Id, accepted.Id, "st", 3L, RunStatus.Succeeded), (fetched.Id, fetched.ComparisonId, fetched.Estimator, fetched.Seed, fetched.Status));

        var page = await service.Api.ListComparisonsAsync(1, 100);
        Assert.Contains(page.Items, item => item.Id == accepted.Id && item.Status == RunStatus.Succeeded && item.Runs == 1);
        Assert.Equal(page.Items.OrderByDescending(i => i.CreatedAt).Select(i => i.Id), page.Items.Select(i => i.Id));

        using var missing = await service.Client.GetAsync($"/api/v1/runs/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType!.MediaType);
    }

    private async Task<double> SettledParameterMeanAsync(ComparisonDetails comparison, string estimator)
    {
        // Average the last 10 evaluations (steps 620..800) of every seed: Adam's jitter averages out.
        var means = new List<double>();
        foreach (var run in comparison.Runs.Where(r => r.Estimator == estimator))
        {
            var series = await service.Api.GetRunMetricsAsync(run.Id, "parameter_mean", afterStep: 800 - 10 * 20);
            Assert.Equal(10, series.Points.Count);
            means.Add(series.Points.Average(p => p.Value));
        }
        return means.Average();
    }

    private static RunDetails Run(ComparisonDetails comparison, string estimatorPrefix) =>
        comparison.Runs.Single(r => r.Estimator.StartsWith(estimatorPrefix, StringComparison.Ordinal));
}

using Pwgf.Infrastructure.Entities;
using Pwgf.IntegrationTests.Support;

namespace Pwgf.IntegrationTests.Service;

/// <summary>The per-estimator summary of a finished comparison, read over HTTP.</summary>
[Collection(ServiceCollection.Name)]
public sealed class ComparisonSummaryTests(ServiceFixture service)
{
    [Fact]
    public async Task Poisson_toy_summary_ranks_pwgf_first_with_standard_errors_over_seeds()
    {
        // E(z - t)^2 = lambda + (lambda - t)^2: pwgf heads for its minimum t - 1/4 = 2.35, ST for its fixed point
        // lambda = t, where the loss is t = 2.6.
        var accepted = await service.SubmitAsync("""
            {"task": "poisson-toy", "taskOptions": {"dims": 6, "target": 2.6, "batchSize": 16},
             "estimators": ["st", "pwgf"], "seeds": [41, 42], "steps": 600,
             "optimizer": {"name": "adam", "learningRate": 0.03}, "evalEvery": 50}
            """);
        var comparison = await service.WaitForFinalAsync(accepted.Id, TimeSpan.FromMinutes(3));
        Assert.Equal(RunStatus.Succeeded, comparison.Status);

        // Estimators stay in request order; the rank says which did better.
        Assert.Equal(["st", "pwgf"], comparison.Summary.Select(s => s.Estimator));
        var summary = comparison.Summary.ToDictionary(s => s.Estimator);
        Assert.Equal((1, 2), (summary["pwgf"].Rank, summary["st"].Rank));
        Assert.All(comparison.Summary, s =>
        {
            Assert.Equal(("loss", 2, 2), (s.Metric, s.Runs, s.Succeeded));
            Assert.NotNull(s.FinalScoreStandardError);
            Assert.True(s.FinalScoreStandardError >= 0);
            Assert.Null(s.BestByValidation); // the toy tasks have no validation metric
        });
        Assert.True(summary["pwgf"].FinalScoreMean < summary["st"].FinalScoreMean,
            $"pwgf {summary["pwgf"].FinalScoreMean} vs st {summary["st"].FinalScoreMean}");

        // The mean is over the last loss point of each seed's curve.
        foreach (var estimator in summary.Values)
        {
            var finals = new List<double>();
            foreach (var run in comparison.Runs.Where(r => r.Estimator == estimator.Estimator))
            {
                finals.Add((await service.GetMetricAsync(run.Id, "loss", afterStep: 550)).Points.Single().Value);
            }
            Assert.Equal(finals.Average(), estimator.FinalScoreMean!.Value, 1e-12);
            Assert.Equal(Math.Abs(finals[0] - finals[1]) / 2, estimator.FinalScoreStandardError!.Value, 1e-12);
        }
    }
}

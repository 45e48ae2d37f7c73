using Pwgf.Infrastructure.Entities;
using Pwgf.IntegrationTests.Support;
using Pwgf.Statistics;

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
        var accepted = await service.Api.SubmitAsync("""
            {"task": "poisson-toy", "taskOptions": {"dims": 6, "target": 2.6, "batchSize": 16},
             "estimators": ["st", "pwgf"], "seeds": [41, 42], "steps": 600,
             "optimizer": {"name": "adam", "learningRate": 0.03}, "evalEvery": 50}
            """);
        var comparison = await service.WithinAsync(TimeSpan.FromMinutes(3), limit => service.Api.WaitForFinalAsync(accepted.Id, ServiceFixture.Poll, limit));
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
                finals.Add((await service.Api.GetRunMetricsAsync(run.Id, "loss", afterStep: 550)).Points.Single().Value);
            }
            Assert.Equal(finals.Average(), estimator.FinalScoreMean!.Value, 1e-12);
            Assert.Equal(Math.Abs(finals[0] - finals[1]) / 2, estimator.FinalScoreStandardError!.Value, 1e-12);
        }
    }

    [Fact]
    public async Task Every_pair_is_tested_across_seeds_and_ranks_read_as_groups()
    {
        // Three seeds each: ST ends at its fixed point (loss t = 2.6), pwgf and the exact gradient near the minimum
        // 2.35, so ST is resolved last while the order of the other two is a matter of seed noise at most.
        var accepted = await service.Api.SubmitAsync("""
            {"task": "poisson-toy", "taskOptions": {"dims": 6, "target": 2.6, "batchSize": 16},
             "estimators": ["pwgf", "st", "exact"], "seeds": [51, 52, 53], "steps": 600,
             "optimizer": {"name": "adam", "learningRate": 0.03}, "evalEvery": 100}
            """);
        var comparison = await service.WithinAsync(TimeSpan.FromMinutes(4), limit => service.Api.WaitForFinalAsync(accepted.Id, ServiceFixture.Poll, limit));
        Assert.Equal(RunStatus.Succeeded, comparison.Status);

        // Every pair once, in request order, on the score metric.
        Assert.Equal([("pwgf", "st"), ("pwgf", "exact"), ("st", "exact")], comparison.Pairwise.Select(p => (p.Estimator, p.Versus)));
        Assert.All(comparison.Pairwise, p => Assert.Equal("loss", p.Metric));

        // The numbers follow from each run's final loss, read point by point over HTTP: the wiring from the stored
        // metrics to the tests (the statistics themselves are checked against SciPy in the unit tests).
        var finals = new Dictionary<string, SeedSummary>();
        foreach (string estimator in new[] { "pwgf", "st", "exact" })
        {
            var values = new List<double>();
            foreach (var run in comparison.Runs.Where(r => r.Estimator == estimator))
            {
                values.Add((await service.Api.GetRunMetricsAsync(run.Id, "loss", afterStep: 550)).Points.Single().Value);
            }
            finals[estimator] = SeedSummary.Of(values);
        }
        var tested = comparison.Pairwise.Select(p => WelchTest.Compare(finals[p.Estimator], finals[p.Versus])!).ToList();
        var adjusted = Holm.Adjust([.. tested.Select(t => t.PValue)]);
        for (int i = 0; i < tested.Count; i++)
        {
            var pair = comparison.Pairwise[i];
            Assert.Equal(finals[pair.Estimator].Mean!.Value - finals[pair.Versus].Mean!.Value, pair.MeanDifference!.Value, 1e-12);
            Assert.Equal(tested[i].StandardError, pair.StandardError!.Value, 1e-12);
            Assert.Equal(tested[i].PValue, pair.PValue!.Value, 1e-12);
            Assert.Equal(adjusted[i], pair.PValueAdjusted!.Value, 1e-12);
            Assert.True(pair.PValueAdjusted >= pair.PValue);
            Assert.Equal(pair.PValueAdjusted <= 0.05, pair.Significant);
        }

        // ST is resolved from both others: a loss 0.25 above theirs against seed noise far smaller.
        var summary = comparison.Summary.ToDictionary(s => s.Estimator);
        Assert.All(comparison.Pairwise.Where(p => p.Estimator == "st" || p.Versus == "st"), p => Assert.True(p.Significant, $"{p.Estimator} vs {p.Versus}: p {p.PValueAdjusted}"));
        Assert.Equal((3, "3"), (summary["st"].Rank, summary["st"].RankGroup));
        Assert.Empty(summary["st"].IndistinguishableFrom);

        // The others' groups and lists agree with the pairs: "1-2" exactly when they are not resolved from each other.
        var between = comparison.Pairwise.Single(p => p.Estimator == "pwgf" && p.Versus == "exact");
        foreach (var (own, other) in new[] { ("pwgf", "exact"), ("exact", "pwgf") })
        {
            Assert.Equal(between.Significant ? [] : new[] { other }, summary[own].IndistinguishableFrom);
            if (!between.Significant) Assert.Equal("1-2", summary[own].RankGroup);
            else Assert.Equal(summary[own].Rank.ToString(), summary[own].RankGroup);
        }
        Assert.All(comparison.Summary, s => Assert.True(s.SeedsToResolve is null or >= 2));
    }

    [Fact]
    public async Task Two_names_of_one_estimator_are_said_to_be_one_and_never_ranked_apart()
    {
        // On Bernoulli latents pwgf's mean projection is straight-through and its W2 rule is ReinMax at temperature 1
        // (docs/pwgf.md); the summary must name each pair together instead of ranking them apart.
        var accepted = await service.Api.SubmitAsync("""
            {"task": "bernoulli-toy", "taskOptions": {"dims": 4, "batchSize": 4, "diagnosticSamples": 100},
             "estimators": ["st", {"name": "pwgf", "projection": "mean"}, "pwgf", "reinmax"], "seeds": [61, 62], "steps": 150,
             "evalEvery": 50}
            """);
        var comparison = await service.WithinAsync(TimeSpan.FromMinutes(3), limit => service.Api.WaitForFinalAsync(accepted.Id, ServiceFixture.Poll, limit));
        Assert.Equal(RunStatus.Succeeded, comparison.Status);

        var summary = comparison.Summary.ToDictionary(s => s.Estimator);
        Assert.Equal(["st", "pwgf(projection=mean)", "pwgf", "reinmax"], comparison.Summary.Select(s => s.Estimator));
        Assert.Equal(["pwgf(projection=mean)"], summary["st"].SameEstimatorAs);
        Assert.Equal(["st"], summary["pwgf(projection=mean)"].SameEstimatorAs);
        Assert.Equal(["reinmax"], summary["pwgf"].SameEstimatorAs);
        Assert.Equal(["pwgf"], summary["reinmax"].SameEstimatorAs);
        Assert.Contains("straight-through", summary["st"].SameEstimatorReason);
        Assert.Contains("ReinMax at temperature 1", summary["pwgf"].SameEstimatorReason);

        // Same estimator and same seeds: straight-through under its two names trains the same runs.
        Assert.Equal(summary["st"].FinalScoreMean!.Value, summary["pwgf(projection=mean)"].FinalScoreMean!.Value, 1e-12);

        // Each pair shares one rank and one group, and two distinct estimators remain to be ranked.
        foreach (var (first, second) in new[] { ("st", "pwgf(projection=mean)"), ("pwgf", "reinmax") })
        {
            Assert.Equal((summary[first].Rank, summary[first].RankGroup), (summary[second].Rank, summary[second].RankGroup));
            Assert.Contains(second, summary[first].IndistinguishableFrom);
        }
        Assert.Equal(2, comparison.Summary.Select(s => s.Rank).Distinct().Count());
        Assert.All(comparison.Summary, s => Assert.True(s.RankGroup is "1" or "2" or "1-2", s.RankGroup));

        // Their pairs are flagged, not tested; the four pairs across the two estimators are tested (Holm over four).
        var flagged = comparison.Pairwise.Where(p => p.SameEstimator).ToList();
        Assert.Equal([("st", "pwgf(projection=mean)"), ("pwgf", "reinmax")], flagged.Select(p => (p.Estimator, p.Versus)));
        Assert.All(flagged, p => Assert.Equal(((double?)null, (double?)null, false), (p.PValue, p.PValueAdjusted, p.Significant)));
        var tested = comparison.Pairwise.Where(p => !p.SameEstimator).ToList();
        Assert.Equal(4, tested.Count);
        var adjusted = Holm.Adjust([.. tested.Select(p => p.PValue!.Value)]);
        for (int i = 0; i < tested.Count; i++) Assert.Equal(adjusted[i], tested[i].PValueAdjusted!.Value, 1e-12);
    }
}

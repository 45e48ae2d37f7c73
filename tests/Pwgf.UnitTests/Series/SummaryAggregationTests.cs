using Pwgf.Api.Comparisons;
using Pwgf.Training;

namespace Pwgf.UnitTests.Service;

/// <summary>The summary's arithmetic on made-up run scores: means, standard errors, ranks, best validation steps.</summary>
public sealed class SummaryAggregationTests
{
    [Fact]
    public void Best_by_validation_averages_the_score_and_the_step_where_each_run_validated_best()
    {
        var summary = Assert.Single(ComparisonSummary.Summarise(["vimco"], "test_nll", "valid_nll",
        [
            new RunScore("vimco", Succeeded: true, FinalScore: 101.0, BestStep: 400, ScoreAtBestStep: 99.0),
            new RunScore("vimco", Succeeded: true, FinalScore: 103.0, BestStep: 800, ScoreAtBestStep: 98.0),
            new RunScore("vimco", Succeeded: true, FinalScore: 102.0, BestStep: 600, ScoreAtBestStep: 97.0),
            // A failed run's numbers never count, whatever they are.
            new RunScore("vimco", Succeeded: false, FinalScore: 1.0, BestStep: 10, ScoreAtBestStep: 1.0),
        ]).Estimators);

        Assert.Equal(("test_nll", 4, 3), (summary.Metric, summary.Runs, summary.Succeeded));
        Assert.Equal(102.0, summary.FinalScoreMean!.Value, 1e-12);
        Assert.Equal(1.0 / Math.Sqrt(3), summary.FinalScoreStandardError!.Value, 1e-12); // sd 1 over sqrt 3 runs
        var best = summary.BestByValidation!;
        Assert.Equal(("valid_nll", 3), (best.Metric, best.Runs));
        Assert.Equal(98.0, best.ScoreMean!.Value, 1e-12);
        Assert.Equal(1.0 / Math.Sqrt(3), best.ScoreStandardError!.Value, 1e-12);
        Assert.Equal(600.0, best.StepMean!.Value, 1e-12);
    }

    [Fact]
    public void A_run_without_a_common_validation_step_counts_for_the_final_score_only()
    {
        var summary = Assert.Single(ComparisonSummary.Summarise(["st"], "test_nll", "valid_nll",
        [
            new RunScore("st", true, FinalScore: 5.0, BestStep: 100, ScoreAtBestStep: 4.0),
            new RunScore("st", true, FinalScore: 7.0),
        ]).Estimators);

        Assert.Equal(6.0, summary.FinalScoreMean!.Value, 1e-12);
        Assert.Equal(1.0, summary.FinalScoreStandardError!.Value, 1e-12); // |5 - 7| / 2 for two runs
        Assert.Equal((1, 4.0, 100.0), (summary.BestByValidation!.Runs, summary.BestByValidation.ScoreMean, summary.BestByValidation.StepMean));
        Assert.Null(summary.BestByValidation.ScoreStandardError); // one run has no spread to estimate
    }

    [Fact]
    public void Estimators_keep_request_order_and_are_ranked_by_mean_with_ties_sharing_a_rank()
    {
        var summaries = ComparisonSummary.Summarise(["a", "b", "c", "d", "e"], "loss", null,
        [
            new RunScore("a", true, 2.0), new RunScore("a", true, 4.0), // mean 3
            new RunScore("b", true, 1.0),                                // mean 1, no standard error
            new RunScore("c", true, 3.0),                                // mean 3, ties with a
            new RunScore("d", false, null),                              // nothing succeeded: no mean, no rank
            new RunScore("e", true, double.NaN),                         // diverged: ranks after every number
        ]).Estimators;

        Assert.Equal(["a", "b", "c", "d", "e"], summaries.Select(s => s.Estimator));
        Assert.Equal(new int?[] { 2, 1, 2, null, 4 }, summaries.Select(s => s.Rank));
        Assert.Null(summaries[1].FinalScoreStandardError);
        Assert.Equal((1, 0, (double?)null), (summaries[3].Runs, summaries[3].Succeeded, summaries[3].FinalScoreMean));
        Assert.All(summaries, s => Assert.Null(s.BestByValidation)); // no validation metric, no best-step section
        Assert.True(double.IsNaN(summaries[4].FinalScoreMean!.Value));
    }

    [Fact]
    public void A_diverged_seed_makes_the_mean_NaN_even_beside_finite_seeds()
    {
        var summary = Assert.Single(ComparisonSummary.Summarise(["st"], "loss", null,
            [new RunScore("st", true, 1.0), new RunScore("st", true, 2.0), new RunScore("st", true, double.PositiveInfinity)]).Estimators);

        Assert.True(double.IsNaN(summary.FinalScoreMean!.Value));
        Assert.Null(summary.FinalScoreStandardError);
    }

    [Fact]
    public void Pairs_carry_welch_and_holm_and_entries_carry_their_rank_group()
    {
        // Final scores chosen so the arithmetic can be followed: a and b overlap, c is far above both.
        var result = ComparisonSummary.Summarise(["a", "b", "c"], "loss", null,
        [
            new RunScore("a", true, 1.0), new RunScore("a", true, 1.2), new RunScore("a", true, 1.1),
            new RunScore("b", true, 1.05), new RunScore("b", true, 1.25), new RunScore("b", true, 1.15),
            new RunScore("c", true, 5.0), new RunScore("c", true, 5.1), new RunScore("c", true, 4.9),
        ]);

        Assert.Equal([("a", "b"), ("a", "c"), ("b", "c")], result.Pairwise.Select(p => (p.Estimator, p.Versus)));
        Assert.All(result.Pairwise, p => Assert.Equal("loss", p.Metric));
        var ab = result.Pairwise[0];
        // Equal spreads (sd 0.1 each): standard error sqrt(2 x 0.01 / 3), t = -0.05 / 0.0816 = -0.612 on 4 degrees of
        // freedom; SciPy's ttest_ind(equal_var=False) gives p = 0.5733922538253566 (references.py).
        Assert.Equal(-0.05, ab.MeanDifference!.Value, 1e-12);
        Assert.Equal(Math.Sqrt(0.02 / 3), ab.StandardError!.Value, 1e-12);
        Assert.Equal(0.5733922538253566, ab.PValue!.Value, 1e-9);
        Assert.False(ab.Significant);
        Assert.True(result.Pairwise[1].Significant && result.Pairwise[2].Significant);

        var byName = result.Estimators.ToDictionary(s => s.Estimator);
        Assert.Equal((1, "1-2"), (byName["a"].Rank, byName["a"].RankGroup));
        Assert.Equal((2, "1-2"), (byName["b"].Rank, byName["b"].RankGroup));
        Assert.Equal((3, "3"), (byName["c"].Rank, byName["c"].RankGroup));
        Assert.Equal(["b"], byName["a"].IndistinguishableFrom);
        Assert.Empty(byName["c"].IndistinguishableFrom);
        Assert.NotNull(byName["a"].SeedsToResolve);
        Assert.True(byName["a"].SeedsToResolve > 3, "a gap of half a standard deviation is not resolved by three seeds");
    }

    [Fact]
    public void Labels_of_one_estimator_on_the_task_are_named_together_share_a_rank_and_are_not_tested_against_each_other()
    {
        // On bernoulli-toy, st and pwgf with the mean projection are one estimator, and so are pwgf (W2) and reinmax at
        // temperature 1 (docs/pwgf.md); disarm is unlike all of them. Labels are as the validator writes them.
        var specification = new ComparisonSpecification("bernoulli-toy", new Dictionary<string, double> { ["dims"] = 1 },
            [
                new EstimatorChoice("st", "st", new Dictionary<string, double>()),
                new EstimatorChoice("pwgf", "pwgf(projection=mean)", new Dictionary<string, double> { ["preconditioned"] = 0 },
                    new Dictionary<string, string> { ["projection"] = "mean" }),
                new EstimatorChoice("pwgf", "pwgf", new Dictionary<string, double> { ["preconditioned"] = 0 },
                    new Dictionary<string, string> { ["projection"] = "w2" }),
                new EstimatorChoice("reinmax", "reinmax", new Dictionary<string, double> { ["temperature"] = 1 }),
                new EstimatorChoice("disarm", "disarm", new Dictionary<string, double>()),
            ],
            [1, 2], 10, new OptimizerSpecification("adam", 0.01), 1);
        string[] labels = ["st", "pwgf(projection=mean)", "pwgf", "reinmax", "disarm"];
        var same = ComparisonSummary.SameEstimators(TaskRegistry.Find("bernoulli-toy"), specification, labels);
        double[] finals = [0.30, 0.30, 0.10, 0.10, 0.20];
        var runs = labels.SelectMany((label, i) => new[] { new RunScore(label, true, finals[i] - 0.01), new RunScore(label, true, finals[i] + 0.01) }).ToList();

        var result = ComparisonSummary.Summarise(labels, "loss", null, runs, same);

        var byName = result.Estimators.ToDictionary(s => s.Estimator);
        Assert.Equal(["pwgf(projection=mean)"], byName["st"].SameEstimatorAs);
        Assert.Equal(["st"], byName["pwgf(projection=mean)"].SameEstimatorAs);
        Assert.Equal(["reinmax"], byName["pwgf"].SameEstimatorAs);
        Assert.Equal(["pwgf"], byName["reinmax"].SameEstimatorAs);
        Assert.Empty(byName["disarm"].SameEstimatorAs);
        Assert.Null(byName["disarm"].SameEstimatorReason);
        Assert.Contains("straight-through", byName["st"].SameEstimatorReason);
        Assert.Contains("ReinMax", byName["reinmax"].SameEstimatorReason);

        // Three estimators, not five: ranks 1 (pwgf = reinmax), 2 (disarm), 3 (st = pwgf(projection=mean)).
        Assert.Equal(new int?[] { 3, 3, 1, 1, 2 }, result.Estimators.Select(s => s.Rank));
        Assert.Equal(byName["pwgf"].RankGroup, byName["reinmax"].RankGroup);
        Assert.Equal(byName["st"].RankGroup, byName["pwgf(projection=mean)"].RankGroup);

        var flagged = result.Pairwise.Where(p => p.SameEstimator).Select(p => (p.Estimator, p.Versus)).ToList();
        Assert.Equal([("st", "pwgf(projection=mean)"), ("pwgf", "reinmax")], flagged);
        Assert.All(result.Pairwise.Where(p => p.SameEstimator), p => Assert.Equal(((double?)null, false), (p.PValueAdjusted, p.Significant)));
        Assert.All(result.Pairwise.Where(p => !p.SameEstimator), p => Assert.NotNull(p.PValueAdjusted));
    }

    [Fact]
    public void Without_the_task_in_the_catalogue_no_label_is_called_the_same_as_another()
    {
        var specification = new ComparisonSpecification("retired-task", new Dictionary<string, double>(),
            [new EstimatorChoice("st", "st", new Dictionary<string, double>()),
             new EstimatorChoice("pwgf", "pwgf(projection=mean)", new Dictionary<string, double>(), new Dictionary<string, string> { ["projection"] = "mean" })],
            [1], 10, new OptimizerSpecification("adam", 0.01), 1);
        Assert.Null(ComparisonSummary.SameEstimators(TaskRegistry.Find("retired-task"), specification, ["st", "pwgf(projection=mean)"]));
        var result = ComparisonSummary.Summarise(["st", "pwgf(projection=mean)"], "loss", null,
            [new RunScore("st", true, 1.0), new RunScore("pwgf(projection=mean)", true, 1.0)]);
        Assert.All(result.Estimators, s => Assert.Empty(s.SameEstimatorAs));
        Assert.False(Assert.Single(result.Pairwise).SameEstimator);
    }
}

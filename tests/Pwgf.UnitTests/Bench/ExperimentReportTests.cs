using Pwgf.Api.Comparisons;
using Pwgf.Bench;

namespace Pwgf.UnitTests.Bench;

/// <summary>The experiments report and its figures, from results made up here (no service involved).</summary>
public sealed class ExperimentReportTests
{
    private static readonly ExperimentSpec Vae =
        ExperimentBudget.Plan(quick: true).Single(s => s.Task == "bernoulli-vae") with { Estimators = ["st", "pwgf", "disarm"] };

    [Fact]
    public void A_vae_comparison_is_tabled_ranked_and_plotted_and_a_refused_one_is_reported_as_not_run()
    {
        // Seeds 1 and 2: mean 301.5 with standard error 0.5; st and pwgf tie, so neither is resolved from the other,
        // while disarm, 10 above with the same spread (Welch t = 14.1 on 2 degrees of freedom, p = 0.005, Holm x 3),
        // is resolved third. The API's summary says so; the report must show it as the API sent it.
        var ran = Outcome(
            [Summary("st", 301.5, 0.5, 1, "1-2", ["pwgf"]), Summary("pwgf", 301.5, 0.5, 1, "1-2", ["st"]), Summary("disarm", 311.5, 0.5, 3, "3", [])],
            [Pair("st", "pwgf", 0, 0.7071, 1, 1, false), Pair("st", "disarm", -10, 0.7071, 0.005, 0.015, true),
             Pair("pwgf", "disarm", -10, 0.7071, 0.005, 0.015, true)]);
        var refused = ComparisonOutcome.Refused(ExperimentBudget.Plan(quick: true).Single(s => s.Task == "poisson-vae"), "400 BadRequest: Unknown task");

        var figures = ComparisonFigures.Plan(ran);
        string report = Render([ran, refused], figures.Select(f => f.Figure).ToList());

        Assert.Equal(["train_neg_elbo", "test_neg_log_likelihood", "encoder_grad_variance"], figures.Select(f => f.Metric));
        Assert.Equal(["bernoulli-vae-train_neg_elbo.png", "bernoulli-vae-test_neg_log_likelihood.png", "bernoulli-vae-encoder_grad_variance.png"],
            figures.Select(f => f.Figure.FileName));
        Assert.Contains("| rank | estimator | test NLL | valid NLL | train -ELBO | encoder gradient variance | steps/s | seeds |", report);
        Assert.Contains("| 1-2, not resolved | `st` | 301.50 ± 0.50 |", report);
        Assert.Contains("| 1-2, not resolved | `pwgf` | 301.50 ± 0.50 |", report);
        Assert.Contains("| 3 | `disarm` | 311.50 ± 0.50 |", report);
        Assert.Contains("| `st` | `pwgf` | 0.00 ± 0.71 | 1 | 1 | no |", report);
        Assert.Contains("| `st` | `disarm` | -10.00 ± 0.71 | 0.005 | 0.015 | yes |", report);
        // Final encoder variances 2e-4 and 4e-4 for st: geometric mean 2.83e-4, log10 standard error 0.15 (x/ 1.41).
        Assert.Contains("| 2.83e-04 ×/÷ 1.41 |", report);
        Assert.Contains("`st` and `pwgf` recorded exactly the same test NLL curve", report);
        Assert.Contains("](results/bernoulli-vae-test_neg_log_likelihood.png)", report);
        Assert.Contains("**Not run: the API refused the submission** (400 BadRequest: Unknown task)", report);
        Assert.Contains("Commit: abc123", report);
    }

    [Fact]
    public void The_score_column_and_ranks_are_the_apis_summary_not_a_recomputation_from_the_series()
    {
        // The series say st's final test NLL is 301.5 ± 0.5 and that it ties with pwgf; this summary says otherwise.
        var ran = Outcome(
            [Summary("st", 123.0, 1.0, 2, "2", []), Summary("pwgf", 99.0, null, 1, "1", []), Summary("disarm", double.NaN, null, 3, "3", [])],
            []);

        string report = Render([ran], []);

        Assert.Contains("| 2 | `st` | 123.0 ± 1.0 |", report);
        Assert.Contains("| 1 | `pwgf` | 99 |", report);
        Assert.Contains("| 3 | `disarm` | NaN |", report);
        Assert.DoesNotContain("| `st` | 301.50 ± 0.50 |", report); // what the series would give
        Assert.DoesNotContain("Pairwise differences", report); // the API sent no pairs
    }

    private static string Render(IReadOnlyList<ComparisonOutcome> outcomes, IReadOnlyList<Figure> figures)
    {
        var settings = new ExperimentSettings(new Uri("http://127.0.0.1:5099/"), Quick: true, "/nowhere", "key", 2, 1, "abc123",
            DateTimeOffset.UtcNow.AddMinutes(-3), Only: null);
        return ExperimentReport.Render(
            new ExperimentResults(settings, settings.StartedAt, DateTimeOffset.UtcNow, 1.0, 1.5, StoppedAtDeadline: false, outcomes),
            new Dictionary<string, IReadOnlyList<Figure>> { ["bernoulli-vae"] = figures });
    }

    /// <summary>Two seeds per estimator; st and pwgf record the same numbers (the same update on Bernoulli latents), disarm worse.</summary>
    private static ComparisonOutcome Outcome(IReadOnlyList<EstimatorSummary> summary, IReadOnlyList<PairwiseDifference> pairwise)
    {
        var runs = new List<RunResult>();
        foreach (string estimator in Vae.Estimators)
        {
            foreach (long seed in Vae.Seeds)
            {
                double offset = (estimator == "disarm" ? 10 : 0) + seed;
                runs.Add(new RunResult(Guid.NewGuid(), estimator, seed, RunResult.SucceededStatus, 40, 40, null,
                    DateTimeOffset.UtcNow.AddSeconds(-5), DateTimeOffset.UtcNow, new Dictionary<string, IReadOnlyList<MetricPoint>>
                    {
                        ["test_neg_log_likelihood"] = [new(0, 500 + offset), new(20, 400 + offset), new(40, 300 + offset)],
                        ["valid_neg_log_likelihood"] = [new(0, 490 + offset), new(40, 290 + offset)],
                        ["train_neg_elbo"] = [new(20, 410 + offset), new(40, 310 + offset)],
                        ["encoder_grad_variance"] = [new(0, 1e-4 * offset), new(40, 2e-4 * offset)],
                        ["steps_per_second"] = [new(0, 0), new(20, 50), new(40, 70)],
                    }));
            }
        }
        return new ComparisonOutcome(Vae, Guid.NewGuid(), null, new Dictionary<string, string> { ["dataset"] = "fashion-mnist" }, runs, 30,
            summary, pairwise);
    }

    private static EstimatorSummary Summary(string estimator, double mean, double? standardError, int rank, string group, IReadOnlyList<string> tied) =>
        new(estimator, "test_neg_log_likelihood", 2, 2, mean, standardError, rank, null, group, tied, null, [], null);

    private static PairwiseDifference Pair(string estimator, string versus, double difference, double error, double p, double adjusted, bool significant) =>
        new(estimator, versus, "test_neg_log_likelihood", difference, error, p, adjusted, significant, false);
}

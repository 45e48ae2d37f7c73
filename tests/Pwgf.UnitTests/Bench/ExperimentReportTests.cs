using Pwgf.Bench;

namespace Pwgf.UnitTests.Bench;

/// <summary>The experiments report and its figures, from results made up here (no service involved).</summary>
public sealed class ExperimentReportTests
{
    [Fact]
    public void A_vae_comparison_is_tabled_ranked_and_plotted_and_a_refused_one_is_reported_as_not_run()
    {
        var vae = ExperimentBudget.Plan(quick: true).Single(s => s.Task == "bernoulli-vae") with { Estimators = ["st", "pwgf", "disarm"] };
        // st and pwgf record the same numbers (the same update on Bernoulli latents); disarm does worse.
        var runs = new List<RunResult>();
        foreach (string estimator in vae.Estimators)
        {
            foreach (long seed in vae.Seeds)
            {
                double offset = (estimator == "disarm" ? 10 : 0) + seed;
                runs.Add(Run(estimator, seed, new Dictionary<string, IReadOnlyList<MetricPoint>>
                {
                    ["test_neg_log_likelihood"] = [new(0, 500 + offset), new(20, 400 + offset), new(40, 300 + offset)],
                    ["valid_neg_log_likelihood"] = [new(0, 490 + offset), new(40, 290 + offset)],
                    ["train_neg_elbo"] = [new(20, 410 + offset), new(40, 310 + offset)],
                    ["encoder_grad_variance"] = [new(0, 1e-4 * offset), new(40, 2e-4 * offset)],
                    ["steps_per_second"] = [new(0, 0), new(20, 50), new(40, 70)],
                }));
            }
        }
        var ran = new ComparisonOutcome(vae, Guid.NewGuid(), null, new Dictionary<string, string> { ["dataset"] = "fashion-mnist" }, runs, 30);
        var refused = ComparisonOutcome.Refused(ExperimentBudget.Plan(quick: true).Single(s => s.Task == "poisson-vae"), "400 BadRequest: Unknown task");

        string directory = Directory.CreateTempSubdirectory("pwgf-report-").FullName;
        try
        {
            var figures = ExperimentPlots.Draw(ran, directory, scoreReference: null);
            var settings = new ExperimentSettings(new Uri("http://127.0.0.1:5099/"), Quick: true, directory, "key", 2, 1, "abc123",
                DateTimeOffset.UtcNow.AddMinutes(-3), Only: null);
            string report = ExperimentReport.Render(
                new ExperimentResults(settings, settings.StartedAt, DateTimeOffset.UtcNow, 1.0, 1.5, StoppedAtDeadline: false, [ran, refused]),
                new Dictionary<string, IReadOnlyList<Figure>> { ["bernoulli-vae"] = figures });

            Assert.Equal(["bernoulli-vae-train_neg_elbo.png", "bernoulli-vae-test_neg_log_likelihood.png", "bernoulli-vae-encoder_grad_variance.png"],
                figures.Select(f => f.FileName));
            byte[] pngSignature = [0x89, 0x50, 0x4E, 0x47];   // "\x89PNG"
            Assert.All(figures, f => Assert.Equal(pngSignature, File.ReadAllBytes(Path.Combine(directory, f.FileName))[..4]));

            Assert.Contains("| rank | estimator | test NLL | valid NLL | train -ELBO | encoder gradient variance | steps/s | seeds |", report);
            // Seeds 1 and 2: mean 301.5 with standard error 0.5; st and pwgf tie, so neither is resolved from the other,
            // while disarm, 10 above with the same spread (Welch t = 14.1 on 2 degrees of freedom, p = 0.005, Holm x 3),
            // is resolved third.
            Assert.Contains("| 1-2, not resolved | `st` | 301.50 ± 0.50 |", report);
            Assert.Contains("| 1-2, not resolved | `pwgf` | 301.50 ± 0.50 |", report);
            Assert.Contains("| 3 | `disarm` | 311.50 ± 0.50 |", report);
            // Final encoder variances 2e-4 and 4e-4 for st: geometric mean 2.83e-4, log10 standard error 0.15 (x/ 1.41).
            Assert.Contains("| 2.83e-04 ×/÷ 1.41 |", report);
            Assert.Contains("`st` and `pwgf` recorded exactly the same test NLL curve", report);
            Assert.Contains("](results/bernoulli-vae-test_neg_log_likelihood.png)", report);
            Assert.Contains("**Not run: the API refused the submission** (400 BadRequest: Unknown task)", report);
            Assert.Contains("Commit: abc123", report);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static RunResult Run(string estimator, long seed, IReadOnlyDictionary<string, IReadOnlyList<MetricPoint>> metrics) =>
        new(Guid.NewGuid(), estimator, seed, RunResult.SucceededStatus, 40, 40, null,
            DateTimeOffset.UtcNow.AddSeconds(-5), DateTimeOffset.UtcNow, metrics);
}

using System.Text;
using Pwgf.Api.Comparisons;
using static Pwgf.Bench.ReportFormat;

namespace Pwgf.Bench;

/// <summary>
/// One comparison's section of the experiments report: the per-estimator table, the pairwise tests, notes on
/// estimators that coincide and on the known optimum, the figures, and the runs that did not succeed.
/// </summary>
public static class ComparisonSection
{
    public static void Append(StringBuilder text, ComparisonOutcome outcome, IReadOnlyList<Figure> figures)
    {
        var roles = outcome.Spec.Metrics;
        var rows = ExperimentSummary.Rows(outcome);
        var optimum = ExperimentReport.KnownOptimum(outcome);
        int seeds = outcome.Spec.Seeds.Count;
        string score = ExperimentSummary.ScoreMetric(outcome);

        text.AppendLine($"Mean ± standard error across seeds of the value at the last step; rank by the mean of " +
                        $"{Label(score)} (1 is lowest, the best), as a group of the ranks that the significant differences " +
                        $"allow (\"1-2, not resolved\": the order of the two is noise). The {Label(score)}, its rank and the " +
                        $"pairwise tests are the API's summary of comparison `{outcome.Id}`; " +
                        $"{Duration(TimeSpan.FromSeconds(outcome.Seconds))} from submission to its last run.");
        text.AppendLine();

        var header = new List<string> { "rank", "estimator", Label(score) };
        if (optimum is not null) header.Add("gap to optimum");
        header.AddRange(roles.AlsoFinal.Select(Label));
        header.AddRange(roles.AtStart.Select(metric => $"{Label(metric)} at step 0"));
        header.AddRange([Label(roles.Variance), "steps/s", "seeds"]);
        text.AppendLine($"| {string.Join(" | ", header)} |");
        text.AppendLine($"|{string.Concat(header.Select((_, i) => i == 1 ? "---|" : "---:|"))}");

        foreach (var row in rows.OrderBy(r => r.Rank ?? int.MaxValue))
        {
            var cells = new List<string> { RankGroup(row.Score), $"`{row.Estimator}`", Format(row.Score.FinalScoreMean, row.Score.FinalScoreStandardError) };
            if (optimum is not null) cells.Add(Format(row.Score.FinalScoreMean - optimum.Value, row.Score.FinalScoreStandardError));
            cells.AddRange(row.AlsoFinal.Select(value => Format(value)));
            cells.AddRange(row.AtStart.Select(value => Format(value)));
            cells.Add(ExperimentSummary.VarianceIsNaturalLog(outcome) ? Format(row.Variance) : FormatGeometric(row.Variance));
            cells.Add(Format(row.StepsPerSecond));
            string counted = row.Succeeded == seeds ? $"{seeds}" : $"{row.Succeeded} of {row.Runs} succeeded";
            cells.Add(row.Diverged > 0 ? $"{counted}, {row.Diverged} diverged" : counted);
            text.AppendLine($"| {string.Join(" | ", cells)} |");
        }
        text.AppendLine();
        AppendPairwise(text, outcome.Pairwise, score);
        // Identities the service declares (pwgf with the mean projection is st; pwgf's w2 rule is ReinMax at temperature
        // 1 on Bernoulli latents): the summary ranks such names together instead of apart.
        foreach (var entry in outcome.Summary.Where(e => e.SameEstimatorAs.Count > 0 && e.SameEstimatorReason is not null))
        {
            text.AppendLine($"`{entry.Estimator}` is the same estimator as {string.Join(", ", entry.SameEstimatorAs.Select(name => $"`{name}`"))}: " +
                            $"{entry.SameEstimatorReason}");
            text.AppendLine();
        }
        foreach (var (first, second) in ExperimentSummary.Coinciding(outcome))
        {
            text.AppendLine($"`{first}` and `{second}` recorded exactly the same {Label(roles.Score)} curve on every seed: on this task they " +
                            "are the same update under two names, so one hides the other in the plots.");
            text.AppendLine();
        }
        if (optimum is not null)
        {
            text.AppendLine($"The {optimum.Label}: the exact expected loss at lambda* = t - 1/2. Straight-through's fixed point is lambda = t, " +
                            "whose loss is t, 1/4 above the optimum.");
            text.AppendLine();
        }
        if (!outcome.Runs.Any(r => r.MeasuresOwnSpeed))
        {
            text.AppendLine("steps/s: steps over the run's wall time (this task records no speed of its own), evaluations included.");
            text.AppendLine();
        }

        foreach (var figure in figures)
        {
            text.AppendLine($"![{figure.Caption}]({ExperimentSettings.PlotFolder}/{figure.FileName})");
            text.AppendLine();
            text.AppendLine($"*{figure.Caption}.*");
            text.AppendLine();
        }

        var unsuccessful = outcome.Runs.Where(r => !r.Succeeded).ToList();
        if (unsuccessful.Count > 0)
        {
            text.AppendLine("Runs that did not succeed (left out of the table; the plots show the points they recorded):");
            text.AppendLine();
            foreach (var run in unsuccessful)
            {
                string error = run.Error is { Length: > 300 } longError ? longError[..300] + "..." : run.Error ?? "";
                text.AppendLine($"- `{run.Estimator}` seed {run.Seed}: {run.Status} at step {run.Step} of {run.Steps}{(error.Length > 0 ? $": {error}" : "")}");
            }
            text.AppendLine();
        }
    }

    /// <summary>The API's test of every pair: the difference of the mean scores, its standard error and the p-values.</summary>
    private static void AppendPairwise(StringBuilder text, IReadOnlyList<PairwiseDifference> pairs, string score)
    {
        if (pairs.Count == 0) return;
        text.AppendLine($"Pairwise differences of the mean {Label(score)} (Welch's t-test, Holm-adjusted over the comparison's pairs; " +
                        "\"-\": not testable, a single seed or a diverged run):");
        text.AppendLine();
        text.AppendLine("| estimator | versus | difference ± standard error | p | p, Holm-adjusted | resolved |");
        text.AppendLine("|---|---|---:|---:|---:|---|");
        foreach (var pair in pairs)
        {
            text.AppendLine($"| `{pair.Estimator}` | `{pair.Versus}` | {Format(pair.MeanDifference, pair.StandardError)} | " +
                            $"{PValue(pair.PValue)} | {PValue(pair.PValueAdjusted)} | {(pair.SameEstimator ? "same estimator" : pair.Significant ? "yes" : "no")} |");
        }
        text.AppendLine();
    }
}

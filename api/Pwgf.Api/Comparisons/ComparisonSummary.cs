using Microsoft.EntityFrameworkCore;
using Pwgf.Estimators;
using Pwgf.Infrastructure;
using Pwgf.Infrastructure.Entities;
using Pwgf.Statistics;
using Pwgf.Training;

namespace Pwgf.Api.Comparisons;

/// <summary>What one run contributes to its estimator's summary.</summary>
/// <param name="Estimator">The run's estimator label.</param>
/// <param name="Succeeded">Only succeeded runs are scored.</param>
/// <param name="FinalScore">The score metric at the run's last recorded step.</param>
/// <param name="BestStep">The step where the validation metric is lowest, if the task has one.</param>
/// <param name="ScoreAtBestStep">The score metric at <paramref name="BestStep"/>.</param>
public sealed record RunScore(string Estimator, bool Succeeded, double? FinalScore, int? BestStep = null, double? ScoreAtBestStep = null);

/// <summary>The summary of a comparison: one entry per estimator in request order, and every pair compared.</summary>
public sealed record SummaryAndPairs(IReadOnlyList<EstimatorSummary> Estimators, IReadOnlyList<PairwiseDifference> Pairwise);

/// <summary>The per-estimator summary of a comparison: the scores of its runs read in two queries, then aggregated.</summary>
public static class ComparisonSummary
{
    /// <summary>Reads every run's scores for the comparison's task and summarises them, estimators in request order.</summary>
    public static async Task<SummaryAndPairs> LoadAsync(
        PwgfDbContext db, Comparison comparison, IReadOnlyList<string> labels, CancellationToken cancellationToken)
    {
        // A task that left the catalogue still gets a summary of the metric every task records.
        var task = TaskRegistry.Find(comparison.Task);
        string scoreMetric = task?.Score.Name ?? "loss";
        string? validationMetric = task?.Validation?.Name;
        var runs = await ReadRunScoresAsync(db, comparison.Runs, scoreMetric, validationMetric, cancellationToken);
        return Summarise(labels, scoreMetric, validationMetric, runs, SameEstimators(task, comparison.Specification, labels));
    }

    /// <summary>
    /// Which labels name one estimator on the task's latents (the identities live with the estimators); none when the
    /// task left the catalogue, since its family is then unknown.
    /// </summary>
    public static IReadOnlyList<SameEstimator>? SameEstimators(TaskDefinition? task, ComparisonSpecification specification, IReadOnlyList<string> labels)
    {
        if (task is null) return null;
        var settings = labels
            .Select(label => specification.Estimators.Single(e => e.Label == label))
            .Select(e => new EstimatorSettings(e.Name, e.Parameters, e.Choices))
            .ToList();
        return EstimatorIdentities.Among(settings, task.Distribution, task.ClassesOf(specification.TaskOptions));
    }

    /// <summary>
    /// Each run's final score and, with a validation metric, its best validation step and the score there: one query
    /// for all final scores and one for all best steps, whatever the number of runs.
    /// </summary>
    public static async Task<IReadOnlyList<RunScore>> ReadRunScoresAsync(
        PwgfDbContext db, IReadOnlyCollection<Run> runs, string scoreMetric, string? validationMetric, CancellationToken cancellationToken)
    {
        var succeeded = runs.Where(r => r.Status == RunStatus.Succeeded).Select(r => r.Id).ToList();
        // The last point of each run, found from the end of the primary key: one probe per run, however long the
        // series (a grouped "first by step descending" would read every point of it).
        var finalScores = (await db.Database.SqlQueryRaw<FinalScore>(
                """
                SELECT r.id AS run_id, last.value AS value
                FROM unnest(@ids) AS r(id)
                CROSS JOIN LATERAL (
                    SELECT m.value FROM pwgf.metrics m WHERE m.run_id = r.id AND m.name = @name ORDER BY m.step DESC LIMIT 1
                ) AS last
                """,
                new Npgsql.NpgsqlParameter("ids", succeeded.ToArray()),
                new Npgsql.NpgsqlParameter("name", scoreMetric)).ToListAsync(cancellationToken))
            .ToDictionary(f => f.RunId, f => f.Value);

        var bestSteps = new Dictionary<Guid, (int Step, double Score)>();
        if (validationMetric is not null)
        {
            // Only steps where both metrics were recorded can be chosen; PostgreSQL orders NaN above every number,
            // so a diverged evaluation is never the best one.
            var bestPoints = await db.Metrics
                .AsNoTracking()
                .Where(v => succeeded.Contains(v.RunId) && v.Name == validationMetric)
                .Join(db.Metrics.Where(s => s.Name == scoreMetric),
                    v => new { v.RunId, v.Step }, s => new { s.RunId, s.Step },
                    (v, s) => new { v.RunId, v.Step, Validation = v.Value, Score = s.Value })
                .GroupBy(p => p.RunId)
                .Select(g => g.OrderBy(p => p.Validation).ThenBy(p => p.Step).First())
                .ToListAsync(cancellationToken);
            foreach (var point in bestPoints) bestSteps[point.RunId] = (point.Step, point.Score);
        }

        return runs.Select(r =>
        {
            bool hasFinal = finalScores.TryGetValue(r.Id, out double final);
            bool hasBest = bestSteps.TryGetValue(r.Id, out var best);
            return new RunScore(r.Estimator, r.Status == RunStatus.Succeeded, hasFinal ? final : null,
                hasBest ? best.Step : null, hasBest ? best.Score : null);
        }).ToList();
    }

    /// <summary>
    /// Mean and standard error of the succeeded runs' final scores per estimator (a diverged run, whose score is not a
    /// number, makes the mean NaN), ranks with their groups and the pairwise tests (see <see cref="Statistics.Pairwise"/>),
    /// and, when there is a validation metric, the same statistics of the score at each run's best validation step.
    /// Labels that <paramref name="same"/> marks as one estimator share a standing and their pairs are not tested.
    /// </summary>
    public static SummaryAndPairs Summarise(
        IReadOnlyList<string> labels, string scoreMetric, string? validationMetric, IReadOnlyList<RunScore> runs,
        IReadOnlyList<SameEstimator>? same = null)
    {
        var finals = labels.Select(label => (Estimator: label, Score: SeedSummary.Of(runs
            .Where(r => r.Estimator == label && r.Succeeded && r.FinalScore is not null)
            .Select(r => r.FinalScore!.Value)))).ToList();
        // A group is numbered by its first label, so the numbers are equal exactly for names of one estimator.
        var groups = labels.Select((_, i) => same is null ? i : same[i].Others.Prepend(i).Min()).ToList();
        var comparison = Statistics.Pairwise.Compare(finals, groups);

        var summaries = labels.Select((label, i) =>
        {
            var own = runs.Where(r => r.Estimator == label).ToList();
            var scored = own.Where(r => r.Succeeded).ToList();
            var (mean, standardError) = Reported(finals[i].Score);
            var standing = comparison.Standings[i];
            return new EstimatorSummary(label, scoreMetric, own.Count, scored.Count, mean, standardError, standing.Rank,
                validationMetric is null ? null : AtBestSteps(validationMetric, scored),
                standing.RankGroup, standing.IndistinguishableFrom, standing.SeedsToResolve,
                same is null ? [] : [.. same[i].Others.Select(k => labels[k])], same?[i].Reason);
        }).ToList();
        var pairs = comparison.Pairs
            .Select(p => new PairwiseDifference(p.Estimator, p.Versus, scoreMetric, p.MeanDifference, p.StandardError, p.PValue,
                p.PValueAdjusted, p.Significant, p.SameEstimator))
            .ToList();
        return new SummaryAndPairs(summaries, pairs);
    }

    private static BestByValidationSummary AtBestSteps(string validationMetric, List<RunScore> succeeded)
    {
        var chosen = succeeded.Where(r => r.BestStep is not null && r.ScoreAtBestStep is not null).ToList();
        var (mean, standardError) = Reported(SeedSummary.Of(chosen.Select(r => r.ScoreAtBestStep!.Value)));
        double? stepMean = chosen.Count > 0 ? chosen.Average(r => r.BestStep!.Value) : null;
        return new BestByValidationSummary(validationMetric, chosen.Count, mean, standardError, stepMean);
    }

    /// <summary>The summary shows a diverged seed as a NaN mean without an error, so it is never mistaken for a score.</summary>
    private static (double? Mean, double? StandardError) Reported(SeedSummary summary) =>
        summary.Diverged > 0 ? (double.NaN, null) : (summary.Mean, summary.StandardError);

    private sealed record FinalScore(Guid RunId, double Value);
}

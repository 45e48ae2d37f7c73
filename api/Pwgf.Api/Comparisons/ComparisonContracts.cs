using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;
using Pwgf.Api.Hosting.OpenApi;
using Pwgf.Api.Runs;
using Pwgf.Infrastructure.Entities;
using Pwgf.Training;

namespace Pwgf.Api.Comparisons;

/// <summary>
/// A comparison to run: every estimator on the same task for every seed, one run each.
/// Unknown fields are refused (a mistyped field name is an error, not a silent default).
/// </summary>
/// <param name="Task">Task name from GET /api/v1/tasks, e.g. "poisson-toy".</param>
/// <param name="TaskOptions">Task options by name (numbers, booleans, names such as "dataset": "fashion-mnist", or number lists such as "costs"); omitted ones take their defaults.</param>
/// <param name="Estimators">Estimator names, or objects such as {"name": "reinforce-loo", "samples": 4}.</param>
/// <param name="Seeds">One run per seed and estimator; distinct integers.</param>
/// <param name="Steps">Optimisation steps per run.</param>
/// <param name="Optimizer">Optimiser of the parameters; default Adam at the task's learning rate (toys 0.01, VAEs 0.001).</param>
/// <param name="EvalEvery">Record metrics every this many steps (and at step 0 and at the end); default steps / 100.</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record SubmitComparisonRequest(
    [property: Required] string? Task,
    [property: OneOf(typeof(double), typeof(bool), typeof(string), typeof(double[]))] Dictionary<string, JsonElement>? TaskOptions,
    [property: Required] List<JsonElement>? Estimators,
    [property: Required] List<long>? Seeds,
    [property: Required] int? Steps,
    OptimizerRequest? Optimizer,
    int? EvalEvery);

/// <param name="Name">"adam" or "sgd".</param>
/// <param name="LearningRate">Step size, in (0, 10].</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record OptimizerRequest(string? Name, double? LearningRate);

public sealed record ComparisonAccepted(Guid Id, RunStatus Status);

/// <summary>A comparison with its runs, its per-estimator summary and the significance of every pair of estimators.</summary>
/// <param name="Id">Comparison id.</param>
/// <param name="Task">Task name.</param>
/// <param name="Status">Combined status of the runs.</param>
/// <param name="CreatedAt">Submission time.</param>
/// <param name="Specification">The stored specification, defaults filled in.</param>
/// <param name="Runs">Every run, estimators in request order, then seeds.</param>
/// <param name="Summary">One entry per estimator, in request order.</param>
/// <param name="Pairwise">Every pair of estimators that have a score, compared on the final score across seeds.</param>
/// <param name="CreatedByKey">Id (not secret) of the API key that submitted it, for audit (GET /api/v1/keys names it);
/// null for comparisons stored before submitting keys were recorded.</param>
public sealed record ComparisonDetails(
    Guid Id,
    string Task,
    RunStatus Status,
    DateTimeOffset CreatedAt,
    ComparisonSpecification Specification,
    IReadOnlyList<RunDetails> Runs,
    IReadOnlyList<EstimatorSummary> Summary,
    IReadOnlyList<PairwiseDifference> Pairwise,
    Guid? CreatedByKey = null);

/// <summary>
/// One estimator across its seeds, scored by the task's score metric (lower is better) over the succeeded runs.
/// </summary>
/// <param name="Estimator">The estimator's label in the comparison.</param>
/// <param name="Metric">The score metric, e.g. "loss" (the exact objective of a toy task).</param>
/// <param name="Runs">Runs of this estimator (one per seed).</param>
/// <param name="Succeeded">Runs that finished.</param>
/// <param name="FinalScoreMean">Mean over succeeded runs of the score at each run's last recorded step; null when none.</param>
/// <param name="FinalScoreStandardError">Sample standard deviation / sqrt(n) of those scores; null below two runs.</param>
/// <param name="Rank">1 for the lowest mean; estimators with equal means share a rank; a diverged run ranks after every
/// estimator without one; null without a mean. Read it with RankGroup: the order of close means is often noise. Names
/// of one estimator (SameEstimatorAs) share the rank and group of the first of them and count once.</param>
/// <param name="BestByValidation">Scores at each run's best validation step; null when the task has no validation metric.</param>
/// <param name="RankGroup">Every rank the significant pairwise differences allow: "2" when they fix the rank, "1-3"
/// when the estimator could be anywhere from first to third (not resolved); null without a rank.</param>
/// <param name="IndistinguishableFrom">Estimators whose difference from this one is not significant (Holm-adjusted
/// Welch test at 0.05, or not testable: a single seed).</param>
/// <param name="SeedsToResolve">Seeds per estimator that a Welch test needs for 80 % power at the observed gap to the
/// nearest other mean, both spreads as observed, at 0.05 / (tested pairs); null when there is no gap or no spread to go by.</param>
/// <param name="SameEstimatorAs">The other estimators of the comparison that compute the same gradient from the same
/// samples on this task's latents (for example st and pwgf with projection mean): one estimator under several names,
/// never ranked apart. Empty for most.</param>
/// <param name="SameEstimatorReason">Why they are the same estimator; null when SameEstimatorAs is empty.</param>
public sealed record EstimatorSummary(
    string Estimator,
    string Metric,
    int Runs,
    int Succeeded,
    double? FinalScoreMean,
    double? FinalScoreStandardError,
    int? Rank,
    BestByValidationSummary? BestByValidation,
    string? RankGroup,
    IReadOnlyList<string> IndistinguishableFrom,
    int? SeedsToResolve,
    IReadOnlyList<string> SameEstimatorAs,
    string? SameEstimatorReason);

/// <summary>Two estimators compared on their final scores across seeds: Welch's t-test, Holm-adjusted over all pairs.</summary>
/// <param name="Estimator">The first estimator, in request order.</param>
/// <param name="Versus">The second.</param>
/// <param name="Metric">The score metric compared.</param>
/// <param name="MeanDifference">Estimator's mean final score minus Versus's; null when either has a diverged run.</param>
/// <param name="StandardError">Standard error of that difference, sqrt(se1^2 + se2^2); null below two runs on either side.</param>
/// <param name="PValue">Welch's two-sided p-value; null when the pair cannot be tested (fewer than two runs, a diverged
/// run, or one estimator under two names).</param>
/// <param name="PValueAdjusted">Holm-adjusted over every tested pair of the comparison; null when not tested.</param>
/// <param name="Significant">The order of the two is resolved: PValueAdjusted at most 0.05, or exactly one of them has a
/// diverged run. Never for two names of one estimator.</param>
/// <param name="SameEstimator">The two are one estimator under two names (see the summary's SameEstimatorAs): the pair
/// is not tested, and the mean difference only shows how far their runs drifted apart.</param>
public sealed record PairwiseDifference(
    string Estimator,
    string Versus,
    string Metric,
    double? MeanDifference,
    double? StandardError,
    double? PValue,
    double? PValueAdjusted,
    bool Significant,
    bool SameEstimator);

/// <summary>
/// Early stopping by validation: for each succeeded run, the step where the validation metric is lowest (the earliest
/// if several tie) and the score metric at that step.
/// </summary>
/// <param name="Metric">The validation metric that picks the step.</param>
/// <param name="Runs">Succeeded runs that recorded both metrics at some common step.</param>
/// <param name="ScoreMean">Mean score at the best steps; null when no run counts.</param>
/// <param name="ScoreStandardError">Sample standard deviation / sqrt(n) of those scores; null below two runs.</param>
/// <param name="StepMean">Mean best step.</param>
public sealed record BestByValidationSummary(
    string Metric,
    int Runs,
    double? ScoreMean,
    double? ScoreStandardError,
    double? StepMean);

/// <summary>A comparison in the list, with enough progress to draw a bar and estimate the time left.</summary>
/// <param name="Id">Comparison id.</param>
/// <param name="Task">Task name.</param>
/// <param name="Status">Combined status of the runs.</param>
/// <param name="CreatedAt">Submission time.</param>
/// <param name="Runs">Runs (estimators x seeds).</param>
/// <param name="FinishedRuns">Runs in a final state.</param>
/// <param name="StepsDone">Steps completed, summed over the runs.</param>
/// <param name="StepsTotal">Steps requested, summed over the runs.</param>
public sealed record ComparisonListItem(
    Guid Id,
    string Task,
    RunStatus Status,
    DateTimeOffset CreatedAt,
    int Runs,
    int FinishedRuns,
    long StepsDone,
    long StepsTotal);

public sealed record PageOf<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total);

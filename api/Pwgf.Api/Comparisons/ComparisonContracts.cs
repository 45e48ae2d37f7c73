using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;
using Pwgf.Api.Hosting.OpenApi;
using Pwgf.Api.Runs;
using Pwgf.Infrastructure.Entities;

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

/// <summary>The normalised specification stored with a comparison: defaults filled in, estimators labelled.</summary>
public sealed record ComparisonSpecification(
    string Task,
    IReadOnlyDictionary<string, double> TaskOptions,
    IReadOnlyList<EstimatorChoice> Estimators,
    IReadOnlyList<long> Seeds,
    int Steps,
    OptimizerSpecification Optimizer,
    int EvalEvery,
    IReadOnlyDictionary<string, double[]>? TaskLists = null,
    IReadOnlyDictionary<string, string>? TaskChoices = null);

/// <summary>An estimator with its resolved parameters; Label tells apart two settings of one estimator.</summary>
public sealed record EstimatorChoice(string Name, string Label, IReadOnlyDictionary<string, double> Parameters);

public sealed record OptimizerSpecification(string Name, double LearningRate);

public sealed record ComparisonAccepted(Guid Id, RunStatus Status);

public sealed record ComparisonDetails(
    Guid Id,
    string Task,
    RunStatus Status,
    DateTimeOffset CreatedAt,
    ComparisonSpecification Specification,
    IReadOnlyList<RunDetails> Runs,
    IReadOnlyList<EstimatorSummary> Summary);

/// <summary>
/// One estimator across its seeds, scored by the task's score metric (lower is better) over the succeeded runs.
/// </summary>
/// <param name="Estimator">The estimator's label in the comparison.</param>
/// <param name="Metric">The score metric, e.g. "loss" (the exact objective of a toy task).</param>
/// <param name="Runs">Runs of this estimator (one per seed).</param>
/// <param name="Succeeded">Runs that finished.</param>
/// <param name="FinalScoreMean">Mean over succeeded runs of the score at each run's last recorded step; null when none.</param>
/// <param name="FinalScoreStandardError">Sample standard deviation / sqrt(n) of those scores; null below two runs.</param>
/// <param name="Rank">1 for the lowest mean; estimators with equal means share a rank; null without a mean.</param>
/// <param name="BestByValidation">Scores at each run's best validation step; null when the task has no validation metric.</param>
public sealed record EstimatorSummary(
    string Estimator,
    string Metric,
    int Runs,
    int Succeeded,
    double? FinalScoreMean,
    double? FinalScoreStandardError,
    int? Rank,
    BestByValidationSummary? BestByValidation);

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

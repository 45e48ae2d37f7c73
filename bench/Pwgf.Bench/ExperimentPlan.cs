using System.Text.Json;

namespace Pwgf.Bench;

/// <summary>
/// Which metrics a comparison's report reads and how: the final score ranks the estimators (lower is better), the
/// other finals sit beside it in the table, the variance metric measures the gradient noise, and the curves are
/// plotted against the step.
/// </summary>
/// <param name="Score">Metric whose last value scores a run.</param>
/// <param name="AlsoFinal">Further metrics whose last value the table shows.</param>
/// <param name="AtStart">Metrics whose first value (step 0, before any training) the table shows.</param>
/// <param name="Variance">The gradient-variance metric.</param>
/// <param name="Curves">Metrics plotted on a linear axis against the step, each in its own figure.</param>
public sealed record MetricRoles(
    string Score,
    IReadOnlyList<string> AlsoFinal,
    IReadOnlyList<string> AtStart,
    string Variance,
    IReadOnlyList<string> Curves)
{
    public const string StepsPerSecond = "steps_per_second";

    public static MetricRoles Toy { get; } = new(
        Score: "loss",
        AlsoFinal: ["parameter_mean"],
        // At the optimum the exact gradient vanishes and a relative bias means nothing; at the start it is large.
        AtStart: ["grad_relative_bias"],
        Variance: "grad_log_variance",
        Curves: ["loss"]);

    public static MetricRoles Vae { get; } = new(
        Score: "test_neg_log_likelihood",
        AlsoFinal: ["valid_neg_log_likelihood", "train_neg_elbo"],
        AtStart: [],
        Variance: "encoder_grad_variance",
        Curves: ["train_neg_elbo", "test_neg_log_likelihood"]);

    /// <summary>Every metric the bench fetches for each run.</summary>
    public IEnumerable<string> All => new[] { Score, Variance, StepsPerSecond }.Concat(AlsoFinal).Concat(AtStart).Concat(Curves).Distinct();
}

/// <summary>
/// One comparison of the experiment plan, exactly as it is submitted: the task, its options, the estimators, seeds
/// and the step budget. <see cref="ToRequestJson"/> is the body of POST /api/v1/comparisons.
/// </summary>
public sealed record ExperimentSpec(
    string Task,
    string Title,
    IReadOnlyDictionary<string, object> TaskOptions,
    IReadOnlyList<string> Estimators,
    IReadOnlyList<long> Seeds,
    int Steps,
    int EvalEvery,
    double LearningRate,
    MetricRoles Metrics)
{
    public const string Optimizer = "adam";

    public int Runs => Estimators.Count * Seeds.Count;

    public string ToRequestJson() => JsonSerializer.Serialize(new
    {
        task = Task,
        taskOptions = TaskOptions,
        estimators = Estimators,
        seeds = Seeds,
        steps = Steps,
        optimizer = new { name = Optimizer, learningRate = LearningRate },
        evalEvery = EvalEvery,
    });
}

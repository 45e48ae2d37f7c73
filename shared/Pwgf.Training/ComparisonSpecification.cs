using System.Text.Json.Serialization;

namespace Pwgf.Training;

/// <summary>
/// The normalised specification stored with a comparison: the task and its resolved options, every estimator with
/// its resolved parameters and label, the seeds, and what each run shares (steps, optimiser, evaluation interval).
/// Its canonical JSON is hashed into the comparison's request hash (what an Idempotency-Key replay must match), so
/// its shape must not change.
/// </summary>
public sealed record ComparisonSpecification(
    string Task,
    IReadOnlyDictionary<string, double> TaskOptions,
    IReadOnlyList<EstimatorChoice> Estimators,
    IReadOnlyList<long> Seeds,
    int Steps,
    OptimizerSpecification Optimizer,
    int EvalEvery,
    IReadOnlyDictionary<string, double[]>? TaskLists = null,
    IReadOnlyDictionary<string, string>? TaskChoices = null)
{
    /// <summary>The configuration of the run that trains <paramref name="estimator"/> at <paramref name="seed"/>.</summary>
    public RunConfiguration RunOf(EstimatorChoice estimator, long seed) => new(
        Task, TaskOptions, estimator.Name, estimator.Parameters, seed, Steps, Optimizer, EvalEvery, TaskLists, TaskChoices,
        estimator.Choices);
}

/// <summary>
/// An estimator with its resolved parameters; Label tells apart two settings of one estimator. Choices holds its
/// named-choice parameters (pwgf's projection), and is absent for estimators that have none, so specifications of
/// such estimators read and hash as before the field existed.
/// </summary>
public sealed record EstimatorChoice(
    string Name,
    string Label,
    IReadOnlyDictionary<string, double> Parameters,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, string>? Choices = null);

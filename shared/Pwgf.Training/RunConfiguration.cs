using System.Text.Json.Serialization;

namespace Pwgf.Training;

/// <summary>The optimiser of a run's distribution (or model) parameters.</summary>
/// <param name="Name">"adam" or "sgd" (<see cref="Optimizers.Names"/>).</param>
/// <param name="LearningRate">Step size, in (0, <see cref="Optimizers.MaxLearningRate"/>].</param>
public sealed record OptimizerSpecification(string Name, double LearningRate);

/// <summary>
/// The immutable record of one run's hyperparameters, stored with the run: everything needed to repeat it.
/// Task options and estimator parameters are resolved (defaults filled in); list-valued task options (a cost
/// vector) are in TaskLists, named choices (a dataset, an architecture) in TaskChoices, and the estimator's named
/// choices (pwgf's projection) in EstimatorChoices, which is left out of the stored JSON when the estimator has none,
/// so configurations and hashes of such runs read as before the field existed. Its canonical JSON is hashed into the
/// run's config hash, so its shape (property names, order aside) must not change.
/// </summary>
public sealed record RunConfiguration(
    string Task,
    IReadOnlyDictionary<string, double> TaskOptions,
    string Estimator,
    IReadOnlyDictionary<string, double> EstimatorParameters,
    long Seed,
    int Steps,
    OptimizerSpecification Optimizer,
    int EvalEvery,
    IReadOnlyDictionary<string, double[]>? TaskLists = null,
    IReadOnlyDictionary<string, string>? TaskChoices = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, string>? EstimatorChoices = null)
{
    /// <summary>A numeric task option as an integer (all task options are resolved, so it is present).</summary>
    public int Integer(string option) => (int)TaskOptions[option];

    /// <summary>A named task option (a dataset, an architecture).</summary>
    public string Choice(string option) => TaskChoices?[option] ?? throw new InvalidOperationException($"The run has no '{option}' option.");
}

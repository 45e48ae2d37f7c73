namespace Pwgf.Training;

/// <summary>The optimiser of the distribution (or model) parameters.</summary>
public sealed record OptimizerConfiguration(string Name, double LearningRate);

/// <summary>
/// The immutable record of one run's hyperparameters, stored with the run: everything needed to repeat it.
/// Task options and estimator parameters are resolved (defaults filled in); list-valued task options (a cost
/// vector) are in TaskLists.
/// </summary>
public sealed record RunConfiguration(
    string Task,
    IReadOnlyDictionary<string, double> TaskOptions,
    string Estimator,
    IReadOnlyDictionary<string, double> EstimatorParameters,
    long Seed,
    int Steps,
    OptimizerConfiguration Optimizer,
    int EvalEvery,
    IReadOnlyDictionary<string, double[]>? TaskLists = null);

using Pwgf.Training.Optimization;
using Parameter = TorchSharp.Modules.Parameter;

namespace Pwgf.Training;

/// <summary>The optimisers a run may ask for.</summary>
public static class Optimizers
{
    public static IReadOnlyList<string> Names { get; } = ["adam", "sgd"];

    public const double MaxLearningRate = 10;

    /// <summary>The optimiser of a request that names none (at its task's default learning rate).</summary>
    public const string DefaultName = "adam";

    /// <summary>The learning rate of a task that does not set its own (the toys; the VAEs use 1e-3).</summary>
    public const double DefaultLearningRate = 0.01;

    /// <summary>An optimiser whose state (moments, step counts) can be saved into a checkpoint.</summary>
    public static ParameterOptimizer Create(OptimizerSpecification configuration, IEnumerable<Parameter> parameters) =>
        configuration.Name switch
        {
            "adam" => new Adam(parameters, configuration.LearningRate),
            "sgd" => new Sgd(parameters, configuration.LearningRate),
            _ => throw new ArgumentException($"Unknown optimizer '{configuration.Name}'.", nameof(configuration)),
        };
}

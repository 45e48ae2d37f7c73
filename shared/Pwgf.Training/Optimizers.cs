using TorchSharp;
using static TorchSharp.torch;

namespace Pwgf.Training;

/// <summary>The optimisers a run may ask for.</summary>
public static class Optimizers
{
    public static IReadOnlyList<string> Names { get; } = ["adam", "sgd"];

    public const double MaxLearningRate = 10;

    /// <summary>An optimiser whose state (moments, step counts) can be saved into a checkpoint.</summary>
    public static TorchSharp.Modules.OptimizerHelper Create(OptimizerConfiguration configuration, IEnumerable<TorchSharp.Modules.Parameter> parameters) =>
        configuration.Name switch
        {
            "adam" => optim.Adam(parameters, configuration.LearningRate),
            "sgd" => optim.SGD(parameters, configuration.LearningRate),
            _ => throw new ArgumentException($"Unknown optimizer '{configuration.Name}'.", nameof(configuration)),
        };
}

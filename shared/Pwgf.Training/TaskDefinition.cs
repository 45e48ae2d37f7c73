using Pwgf.Estimators;
using Pwgf.Estimators.Families;
using static TorchSharp.torch;

namespace Pwgf.Training;

/// <summary>A training task of the catalogue: its latent family, its options, and how to start a session.</summary>
public sealed record TaskDefinition(
    string Name,
    string Summary,
    LatentDistribution Distribution,
    bool HasExactObjective,
    IReadOnlyList<ParameterSpec> Options,
    IReadOnlyList<string> Metrics,
    Func<RunConfiguration, IGradientEstimator, Device, ITrainingSession> Start,
    Func<ParameterValues, IReadOnlyDictionary<string, string>>? CheckTogether = null)
{
    /// <summary>Problems that involve several options at once (keyed by option name); none by default.</summary>
    public IReadOnlyDictionary<string, string> Check(ParameterValues options) =>
        CheckTogether?.Invoke(options) ?? new Dictionary<string, string>();

    /// <summary>Whether an estimator can run on this task (the exact reference needs a known expectation).</summary>
    public bool Accepts(EstimatorDefinition estimator) =>
        estimator.AppliesTo(Distribution) && (HasExactObjective || estimator.Name != "exact");
}

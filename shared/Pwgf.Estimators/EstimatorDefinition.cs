using Pwgf.Estimators.Families;

namespace Pwgf.Estimators;

/// <summary>
/// What the registry knows about one estimator name: where it applies, its knobs, how to build it. Knobs are numbers
/// (given in <c>given</c>) or named choices such as pwgf's projection (given in <c>choices</c>).
/// <paramref name="NeedsImportanceWeights"/> marks an estimator that trains a multi-sample bound of a latent-variable
/// model (<see cref="IMultiSampleBoundEstimator"/>): it needs p(x, z) and q(z | x), so only tasks with data and a
/// prior run it, and a bare objective (a toy, the diagnostics endpoint) cannot.
/// </summary>
public sealed record EstimatorDefinition(
    string Name,
    string Summary,
    bool Unbiased,
    string Reference,
    IReadOnlyList<LatentDistribution> Distributions,
    IReadOnlyList<ParameterSpec> Parameters,
    Func<LatentFamily, ParameterValues, IGradientEstimator> Create,
    bool NeedsImportanceWeights = false)
{
    public bool AppliesTo(LatentDistribution distribution) => Distributions.Contains(distribution);

    public ParameterValues Resolve(
        IReadOnlyDictionary<string, double> given, out Dictionary<string, string> problems, IReadOnlyDictionary<string, string>? choices = null) =>
        ParameterSpec.Resolve(Name, Parameters, given, out problems, texts: choices);

    public IGradientEstimator Build(
        LatentDistribution distribution, IReadOnlyDictionary<string, double> given, IReadOnlyDictionary<string, string>? choices = null)
    {
        if (!AppliesTo(distribution))
            throw new ArgumentException($"'{Name}' does not apply to {distribution} latents.", nameof(distribution));
        var settings = Resolve(given, out var problems, choices);
        if (problems.Count > 0) throw new ArgumentException(string.Join(" ", problems.Values), nameof(given));
        return Create(LatentFamily.Of(distribution), settings);
    }
}

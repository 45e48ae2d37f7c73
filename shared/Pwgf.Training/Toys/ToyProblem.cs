using Pwgf.Estimators.Families;
using Pwgf.Estimators.Objectives;

namespace Pwgf.Training.Toys;

/// <summary>A toy problem: independent latents of one family, an objective with a known expectation, a batch size.</summary>
public sealed record ToyProblem(LatentFamily Family, int Dims, IExactObjective Objective, int BatchSize, int DiagnosticSamples)
{
    public static ToyProblem Bernoulli(IReadOnlyDictionary<string, double> options) => new(
        LatentFamily.Bernoulli,
        (int)options["dims"],
        new PowerObjective(options["target"], options["power"], Reduction.Mean),
        (int)options["batchSize"],
        (int)options["diagnosticSamples"]);

    public static ToyProblem Poisson(IReadOnlyDictionary<string, double> options) => new(
        LatentFamily.Poisson,
        (int)options["dims"],
        new PowerObjective(options["target"], 2, Reduction.Mean),
        (int)options["batchSize"],
        (int)options["diagnosticSamples"]);
}

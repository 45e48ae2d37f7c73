using Pwgf.Estimators;
using Pwgf.Estimators.Families;
using Pwgf.Estimators.Objectives;

namespace Pwgf.Api.Diagnostics;

/// <summary>
/// A diagnostics request that passed validation and the limits: everything the audit needs. Point holds the logits
/// or log-rates flattened dimension-major; Classes is 1 for Bernoulli and Poisson.
/// </summary>
public sealed record DiagnosticsPlan(
    LatentDistribution Distribution,
    double[] Point,
    int Dims,
    int Classes,
    IExactObjective Objective,
    IReadOnlyList<PlannedEstimator> Estimators,
    int Samples,
    ulong Seed);

/// <summary>An estimator that applies to the plan's distribution, with its resolved parameters (numbers and named choices).</summary>
public sealed record PlannedEstimator(
    EstimatorDefinition Definition, IReadOnlyDictionary<string, double> Parameters, IReadOnlyDictionary<string, string>? Choices = null);

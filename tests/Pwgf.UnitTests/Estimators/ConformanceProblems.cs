using Pwgf.Estimators;
using Pwgf.Estimators.Families;
using Pwgf.Estimators.Objectives;

namespace Pwgf.UnitTests.Estimators;

/// <summary>A small problem at one parameter point: the conformance suite's unit of work.</summary>
public sealed record ConformanceProblem(string Key, LatentDistribution Distribution, double[] Point, int Dims, int Classes, IExactObjective Objective)
{
    public LatentFamily Family => LatentFamily.Of(Distribution);

    /// <summary>One example's parameter shape: [dims] or [dims, classes].</summary>
    public long[] Shape => Classes > 0 ? [Dims, Classes] : [Dims];

    public override string ToString() => Key;
}

/// <summary>
/// Two parameter points per family, each with a separable (power) and a coupled (linear-square) objective; the power-2
/// and linear-square ones are quadratic, which the relaxations' references need.
/// </summary>
public static class ConformanceProblems
{
    public static IReadOnlyList<ConformanceProblem> All { get; } =
    [
        new("bernoulli-a-power", LatentDistribution.Bernoulli, [-1.2, 0.3, 2.0], 3, 0, new PowerObjective(0.45, 2, Reduction.Sum)),
        new("bernoulli-a-linear", LatentDistribution.Bernoulli, [-1.2, 0.3, 2.0], 3, 0, new LinearSquareObjective([1, -2, 0.5], 0.7)),
        new("bernoulli-b-power3", LatentDistribution.Bernoulli, [0.8, -0.4, 0.0], 3, 0, new PowerObjective(0.3, 3, Reduction.Sum)),
        new("bernoulli-b-linear", LatentDistribution.Bernoulli, [0.8, -0.4, 0.0], 3, 0, new LinearSquareObjective([0.5, 1.5, -1], -0.2)),
        new("categorical-a-power", LatentDistribution.Categorical, [0.5, -0.3, 0.1, -1, 0.2, 0.8], 2, 3, new PowerObjective(1.2, 2, Reduction.Sum)),
        new("categorical-a-linear", LatentDistribution.Categorical, [0.5, -0.3, 0.1, -1, 0.2, 0.8], 2, 3, new LinearSquareObjective([1, -0.5], 0.4)),
        new("categorical-b-power", LatentDistribution.Categorical, [1.5, 0, -0.5, -0.4, 0.3, 0.3, -0.2, 1.0], 2, 4, new PowerObjective(2.5, 1.5, Reduction.Sum)),
        new("categorical-b-linear", LatentDistribution.Categorical, [1.5, 0, -0.5, -0.4, 0.3, 0.3, -0.2, 1.0], 2, 4, new LinearSquareObjective([0.7, 0.7], 2)),
        new("poisson-a-power", LatentDistribution.Poisson, [-0.7, 0.4, 1.1], 3, 0, new PowerObjective(2.3, 2, Reduction.Sum)),
        new("poisson-a-linear", LatentDistribution.Poisson, [-0.7, 0.4, 1.1], 3, 0, new LinearSquareObjective([0.5, 1, -1], 1)),
        new("poisson-b-power", LatentDistribution.Poisson, [0.2, -0.3, 0.9], 3, 0, new PowerObjective(1.5, 2, Reduction.Sum)),
        new("poisson-b-linear", LatentDistribution.Poisson, [0.2, -0.3, 0.9], 3, 0, new LinearSquareObjective([-1, 2, 0.3], 3)),
    ];

    public static ConformanceProblem Get(string key) => All.Single(p => p.Key == key);

    public static IGradientEstimator BuildWith(string estimator, ConformanceProblem problem, EstimatorSetting setting) =>
        EstimatorRegistry.Find(estimator)!.Build(problem.Distribution, setting.Numbers, setting.Choices);

    public static IGradientEstimator Build(string estimator, ConformanceProblem problem, Dictionary<string, double>? parameters = null) =>
        EstimatorRegistry.Find(estimator)!.Build(problem.Distribution, parameters ?? []);
}

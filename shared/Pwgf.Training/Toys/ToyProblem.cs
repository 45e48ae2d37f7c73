using Pwgf.Estimators.Families;
using Pwgf.Estimators.Objectives;

namespace Pwgf.Training.Toys;

/// <summary>
/// A toy problem: independent latents of one family (dims coordinates, each with `classes` categories when
/// categorical), an objective with a known expectation, a batch size and the diagnostic sample count.
/// </summary>
public sealed record ToyProblem(LatentFamily Family, int Dims, int Classes, IExactObjective Objective, int BatchSize, int DiagnosticSamples)
{
    /// <summary>The shape of one example's parameters: [dims] or [dims, classes].</summary>
    public long[] ParameterShape => Family.Distribution == LatentDistribution.Categorical ? [Dims, Classes] : [Dims];

    public static ToyProblem Bernoulli(RunConfiguration run) => new(
        LatentFamily.Bernoulli,
        Integer(run, "dims"),
        0,
        new PowerObjective(run.TaskOptions["target"], run.TaskOptions["power"], Reduction.Mean),
        Integer(run, "batchSize"),
        Integer(run, "diagnosticSamples"));

    public static ToyProblem Poisson(RunConfiguration run) => new(
        LatentFamily.Poisson,
        Integer(run, "dims"),
        0,
        new PowerObjective(run.TaskOptions["target"], 2, Reduction.Mean),
        Integer(run, "batchSize"),
        Integer(run, "diagnosticSamples"));

    /// <summary>Costs c_k = |k - target|^power over the class index, unless a cost vector is given.</summary>
    public static ToyProblem Categorical(RunConfiguration run)
    {
        int classes = Integer(run, "classes");
        double target = run.TaskOptions["target"], power = run.TaskOptions["power"];
        double[] costs = run.TaskLists is { } lists && lists.TryGetValue("costs", out var given)
            ? given
            : [.. Enumerable.Range(0, classes).Select(k => Math.Pow(Math.Abs(k - target), power))];
        return new ToyProblem(
            LatentFamily.Categorical,
            Integer(run, "dims"),
            classes,
            new CostObjective(costs, Reduction.Mean),
            Integer(run, "batchSize"),
            Integer(run, "diagnosticSamples"));
    }

    private static int Integer(RunConfiguration run, string name) => (int)run.TaskOptions[name];
}

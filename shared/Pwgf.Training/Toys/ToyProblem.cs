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
        run.Integer("dims"),
        0,
        new PowerObjective(run.TaskOptions["target"], run.TaskOptions["power"], Reduction.Mean),
        run.Integer("batchSize"),
        run.Integer("diagnosticSamples"));

    public static ToyProblem Poisson(RunConfiguration run) => new(
        LatentFamily.Poisson,
        run.Integer("dims"),
        0,
        new PowerObjective(run.TaskOptions["target"], 2, Reduction.Mean),
        run.Integer("batchSize"),
        run.Integer("diagnosticSamples"));

    /// <summary>
    /// f = mean_i |v(z_i) - target|^power over the class index v (for a relaxed y, v = sum_k k y_k), or, when a cost
    /// vector is given, f = mean_i c[z_i]. The two agree on exact samples but not in grad_z f: the cost form is linear
    /// in the one-hot sample, so straight-through is exact on it, while the index form shows ST's bias.
    /// </summary>
    public static ToyProblem Categorical(RunConfiguration run)
    {
        IExactObjective objective = run.TaskLists is { } lists && lists.TryGetValue("costs", out var costs)
            ? new CostObjective(costs, Reduction.Mean)
            : new PowerObjective(run.TaskOptions["target"], run.TaskOptions["power"], Reduction.Mean);
        return new ToyProblem(
            LatentFamily.Categorical,
            run.Integer("dims"),
            run.Integer("classes"),
            objective,
            run.Integer("batchSize"),
            run.Integer("diagnosticSamples"));
    }


}

using Pwgf.Estimators;
using Pwgf.Estimators.Objectives;
using static TorchSharp.torch;

namespace Pwgf.Tests.Support;

/// <summary>Mean and standard error of an estimator's per-sample gradient, and the exact gradient, at one point.</summary>
public static class GradientSampling
{
    public sealed record Summary(double[] Mean, double[] StandardError, double[] Variance);

    public static Summary Sample(IGradientEstimator estimator, double[] parameters, IObjective objective, int samples, ulong seed)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(seed);
        var rows = tensor(parameters, dtype: float64).unsqueeze(0).expand(samples, parameters.Length).clone().requires_grad_(true); // [n, d]
        estimator.Surrogate(rows, objective, generator).sum().backward();
        var perSample = rows.grad!;                                                                                            // [n, d]
        var variance = perSample.var(0);
        return new Summary(
            perSample.mean([0]).data<double>().ToArray(),
            (variance / samples).sqrt().data<double>().ToArray(),
            variance.data<double>().ToArray());
    }

    public static double[] Exact(IExactObjective objective, Pwgf.Estimators.Families.LatentFamily family, double[] parameters)
    {
        using var scope = NewDisposeScope();
        var point = tensor(parameters, dtype: float64).requires_grad_(true);
        var expected = objective.Expectation(family, point.unsqueeze(0)).squeeze(0);
        return autograd.grad([expected], [point])[0].data<double>().ToArray();
    }

    /// <summary>Every coordinate of the Monte Carlo mean within <paramref name="standardErrors"/> standard errors of the truth.</summary>
    public static void AssertWithin(Summary summary, double[] truth, double standardErrors, string what)
    {
        for (int i = 0; i < truth.Length; i++)
        {
            double allowed = standardErrors * summary.StandardError[i] + 1e-12;
            Assert.True(Math.Abs(summary.Mean[i] - truth[i]) <= allowed,
                $"{what}, coordinate {i}: mean {summary.Mean[i]:G6} vs {truth[i]:G6} (allowed {allowed:G3})");
        }
    }
}

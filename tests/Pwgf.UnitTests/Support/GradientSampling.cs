using Pwgf.Estimators;
using Pwgf.Estimators.Families;
using Pwgf.Estimators.Objectives;
using static TorchSharp.torch;

namespace Pwgf.UnitTests.Support;

/// <summary>Mean and standard error of an estimator's per-sample gradient, and the exact gradient, at one point.</summary>
public static class GradientSampling
{
    public sealed record Summary(double[] Mean, double[] StandardError, double[] Variance);

    /// <summary>Per-sample estimates at <paramref name="point"/> ([dims] or, with classes, [dims, classes] flattened).</summary>
    public static Summary Sample(IGradientEstimator estimator, double[] point, IObjective objective, int samples, ulong seed, int classes = 0)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(seed);
        var rows = Rows(point, classes, samples).clone().requires_grad_(true);        // [n, dims(, K)]
        estimator.Surrogate(rows, objective, generator).sum().backward();
        var perSample = rows.grad!.reshape(samples, -1);                              // [n, dims * K]
        var variance = perSample.var(0);
        return new Summary(
            perSample.mean([0]).data<double>().ToArray(),
            (variance / samples).sqrt().data<double>().ToArray(),
            variance.data<double>().ToArray());
    }

    /// <summary>Each sample's gradient estimate, [samples][point.Length], with the objective of the same call.</summary>
    public static double[][] PerSample(IGradientEstimator estimator, double[] point, IObjective objective, int samples, ulong seed, int classes = 0)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(seed);
        var rows = Rows(point, classes, samples).clone().requires_grad_(true);
        estimator.Surrogate(rows, objective, generator).sum().backward();
        var flat = rows.grad!.reshape(samples, -1).data<double>().ToArray();
        return [.. Enumerable.Range(0, samples).Select(n => flat[(n * point.Length)..((n + 1) * point.Length)])];
    }

    /// <summary>The gradient of the objective's exact expectation, flattened like the point.</summary>
    public static double[] Exact(IExactObjective objective, LatentFamily family, double[] point, int classes = 0)
    {
        using var scope = NewDisposeScope();
        var leaf = Rows(point, classes, 1).squeeze(0).clone().requires_grad_(true);
        var expected = objective.Expectation(family, leaf.unsqueeze(0)).squeeze(0);
        return autograd.grad([expected], [leaf])[0].flatten().data<double>().ToArray();
    }

    /// <summary>Every coordinate of the Monte Carlo mean within <paramref name="standardErrors"/> standard errors of the truth.</summary>
    /// <param name="slack">Added to the allowance, for a reference that is itself a numerical approximation.</param>
    public static void AssertWithin(Summary summary, double[] truth, double standardErrors, string what, double slack = 1e-12)
    {
        for (int i = 0; i < truth.Length; i++)
        {
            double allowed = standardErrors * summary.StandardError[i] + slack;
            Assert.True(Math.Abs(summary.Mean[i] - truth[i]) <= allowed,
                $"{what}, coordinate {i}: mean {summary.Mean[i]:G6} vs {truth[i]:G6} (allowed {allowed:G3})");
        }
    }

    private static Tensor Rows(double[] point, int classes, int n)
    {
        var single = tensor(point, dtype: float64);
        if (classes > 0) single = single.reshape(-1, classes);
        return single.unsqueeze(0).expand([n, .. single.shape]);
    }
}

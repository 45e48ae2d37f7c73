using Pwgf.Estimators.Objectives;
using Pwgf.UnitTests.Support;

namespace Pwgf.UnitTests.Estimators;

/// <summary>
/// Helpers of the estimator property tests: the exact gradient by central
/// differences of brute-force enumeration, and problems built the way the conformance problems are.
/// </summary>
public static class EstimatorTestReferences
{
    /// <summary>d E f / d point by central differences of <see cref="Enumeration.Expectation"/> (error ~1e-9).</summary>
    public static double[] ExactByEnumeration(ConformanceProblem problem)
    {
        const double step = 1e-5;
        var gradient = new double[problem.Point.Length];
        for (int i = 0; i < gradient.Length; i++)
        {
            double[] up = [.. problem.Point], down = [.. problem.Point];
            up[i] += step;
            down[i] -= step;
            gradient[i] = (Expectation(problem, up) - Expectation(problem, down)) / (2 * step);
        }
        return gradient;
    }

    /// <summary>
    /// Every coordinate within <paramref name="standardErrors"/> standard errors of the reference, plus 1e-7 for the
    /// reference's own differencing error (estimators that are exact on separable objectives have no spread at all).
    /// </summary>
    public static void AssertWithin(GradientSampling.Summary summary, double[] truth, double standardErrors, string what)
    {
        for (int i = 0; i < truth.Length; i++)
        {
            double allowed = standardErrors * summary.StandardError[i] + 1e-7;
            Assert.True(Math.Abs(summary.Mean[i] - truth[i]) <= allowed,
                $"{what}, coordinate {i}: mean {summary.Mean[i]:G6} vs {truth[i]:G6} (allowed {allowed:G3})");
        }
    }

    /// <summary>
    /// Two independent samples of estimators with the same mean: every coordinate's means within
    /// <paramref name="standardErrors"/> of their combined standard error (plus 1e-12 for estimators without spread).
    /// </summary>
    public static void AssertSameMeans(GradientSampling.Summary first, GradientSampling.Summary second, double standardErrors, string what)
    {
        for (int i = 0; i < first.Mean.Length; i++)
        {
            double combined = Math.Sqrt(first.StandardError[i] * first.StandardError[i] + second.StandardError[i] * second.StandardError[i]);
            Assert.True(Math.Abs(first.Mean[i] - second.Mean[i]) <= standardErrors * combined + 1e-12,
                $"{what}, coordinate {i}: means {first.Mean[i]:G5} vs {second.Mean[i]:G5} (combined standard error {combined:G3})");
        }
    }

    public static double Expectation(ConformanceProblem problem, double[] point) =>
        Enumeration.Expectation(problem.Family, problem.Objective, point, problem.Dims, problem.Classes);

    /// <summary>A conformance problem with its objective swapped (a wrapper that counts, or one with a context).</summary>
    public static ConformanceProblem With(this ConformanceProblem problem, IExactObjective objective) =>
        problem with { Objective = objective };
}

using Pwgf.Estimators.Objectives;
using Pwgf.UnitTests.Support;
using static Pwgf.Estimators.Families.LatentDistribution;

namespace Pwgf.UnitTests.Estimators;

/// <summary>
/// st-eat is biased; its mean is checked against its exact expectation (numerical integration over the arrival times,
/// <see cref="ExpectationReferences.StraightThroughArrivals"/>) in <see cref="ConformanceTests"/>. Here: that reference
/// really differs from the exact gradient, and the forward value still estimates E f.
/// </summary>
public sealed class StraightThroughArrivalsTests
{
    private const double Tolerance = 5; // standard errors

    [Fact]
    public void St_eat_is_visibly_biased_and_its_forward_value_estimates_e_f()
    {
        var problem = ConformanceProblems.Get("poisson-a-power");
        var exact = EstimatorTestReferences.ExactByEnumeration(problem);
        var expected = ExpectationReferences.StraightThroughArrivalsAt(problem, 0.1);
        using var built = EstimatorPropertyTests.Build("st-eat", Poisson, "");

        // The reference is far from the exact gradient, so the test above could not pass by confusing the two.
        Assert.Contains(expected.Zip(exact), pair => Math.Abs(pair.First - pair.Second) > 0.05);

        using var scope = TorchSharp.torch.NewDisposeScope();
        using var generator = new TorchSharp.torch.Generator(1802);
        var rows = TorchSharp.torch.tensor(problem.Point).unsqueeze(0).expand(50_000, 3);
        var values = built.Estimator.Surrogate(rows, problem.Objective, generator);
        double mean = values.mean().item<double>(), standardError = values.std().item<double>() / Math.Sqrt(50_000);
        double expectation = EstimatorTestReferences.Expectation(problem, problem.Point);
        Assert.True(Math.Abs(mean - expectation) < Tolerance * standardError, $"mean f {mean:G6} vs E f {expectation:G6}");
    }

    /// <summary>Chunks of per-sample estimates pooled (the arrival times of one big call would not fit in memory).</summary>
    private static GradientSampling.Summary Pooled(Pwgf.Estimators.IGradientEstimator estimator, ConformanceProblem problem, int chunks, int samplesPerChunk, ulong seed)
    {
        var parts = Enumerable.Range(0, chunks)
            .Select(c => GradientSampling.Sample(estimator, problem.Point, problem.Objective, samplesPerChunk, seed + (ulong)c))
            .ToList();
        int width = problem.Point.Length;
        var mean = Enumerable.Range(0, width).Select(i => parts.Average(p => p.Mean[i])).ToArray();
        var standardError = Enumerable.Range(0, width).Select(i => Math.Sqrt(parts.Sum(p => p.StandardError[i] * p.StandardError[i])) / chunks).ToArray();
        var variance = Enumerable.Range(0, width).Select(i => parts.Average(p => p.Variance[i])).ToArray();
        return new GradientSampling.Summary(mean, standardError, variance);
    }
}

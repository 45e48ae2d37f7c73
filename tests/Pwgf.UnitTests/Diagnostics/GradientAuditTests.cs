using Pwgf.Estimators;
using Pwgf.Estimators.Diagnostics;
using Pwgf.Estimators.Families;
using Pwgf.Estimators.Objectives;

namespace Pwgf.UnitTests.Diagnostics;

/// <summary>The audit's statistics: chunking changes nothing, known means come out, degenerate cases say so.</summary>
public sealed class GradientAuditTests
{
    private static IGradientEstimator Build(string name, LatentDistribution distribution) =>
        EstimatorRegistry.Find(name)!.Build(distribution, new Dictionary<string, double>());

    public static TheoryData<LatentDistribution, double[], int, int> Points => new()
    {
        { LatentDistribution.Bernoulli, [-1.0, 0.3, 2.0], 3, 1 },
        { LatentDistribution.Poisson, [0.5, -0.2, 1.1], 3, 1 },
        { LatentDistribution.Categorical, [0.0, 1.0, -0.5, 0.3, 0.3, -2.0], 2, 3 },
    };

    [Theory]
    [MemberData(nameof(Points))]
    public void Small_chunks_give_the_same_mean_and_variance_as_one_chunk(LatentDistribution distribution, double[] point, int dims, int classes)
    {
        var family = LatentFamily.Of(distribution);
        var objective = new PowerObjective(0.7, 2, Reduction.Sum);
        const int samples = 10_007;

        // One generator runs through every chunk, and these samplers draw element by element, so both runs see the
        // same draws; only the order of the floating-point sums differs.
        var whole = GradientAudit.Run(family, point, dims, classes, objective, Build("st", distribution), samples, 5);
        var chunked = GradientAudit.Run(family, point, dims, classes, objective, Build("st", distribution), samples, 5,
            chunkNumbers: 97 * point.Length);

        AssertClose(whole.Mean, chunked.Mean, 1e-12, "mean");
        AssertClose(whole.Variance, chunked.Variance, 1e-12, "variance");
        AssertClose(whole.StandardError, chunked.StandardError, 1e-12, "standard error");
        Assert.Equal(whole.Exact, chunked.Exact);
    }

    [Fact]
    public void Poisson_st_on_a_quadratic_has_the_mean_two_lambda_minus_t_per_rate()
    {
        double rate = 1.7;
        var objective = new PowerObjective(2.3, 2, Reduction.Sum);

        var audit = GradientAudit.Run(LatentFamily.Poisson, [Math.Log(rate)], 1, 1, objective,
            Build("st", LatentDistribution.Poisson), 200_000, 12);

        // d/d eta = lambda d/d lambda; exact per rate: 1 + 2 (lambda - t) = -0.2; ST per rate: 2 (lambda - t) = -1.2.
        Assert.Equal(rate * -0.2, audit.Exact[0], 1e-9);
        double allowed = 5 * audit.StandardError[0];
        Assert.True(Math.Abs(audit.Mean[0] - rate * -1.2) <= allowed, $"st mean {audit.Mean[0]} vs {rate * -1.2} (allowed {allowed})");
        Assert.Equal(audit.Mean[0] - audit.Exact[0], audit.Bias[0], 1e-12);
        Assert.Equal(1, audit.Evaluations);
        Assert.Equal(200_000, audit.Samples);
    }

    [Fact]
    public void The_exact_estimator_has_no_bias_and_no_spread()
    {
        var objective = new LinearSquareObjective([1.0, -2.0, 0.5], 1.0);
        double[] point = [0.1, 0.9, -0.3];

        var audit = GradientAudit.Run(LatentFamily.Poisson, point, 3, 1, objective, Build("exact", LatentDistribution.Poisson), 1000, 0);

        for (int i = 0; i < point.Length; i++)
        {
            Assert.Equal(audit.Exact[i], audit.Mean[i], 1e-12);
            Assert.True(audit.Variance[i] < 1e-24, $"variance {audit.Variance[i]}");
        }
        Assert.True(audit.RelativeBias < 1e-12);
        Assert.Equal(1.0, audit.CosineSimilarity!.Value, 1e-12);
        Assert.Equal(0, audit.Evaluations);
    }

    [Fact]
    public void Relative_bias_and_cosine_are_absent_when_the_exact_gradient_vanishes()
    {
        // (z - 1/2)^2 is 1/4 for both Bernoulli outcomes, so E f does not depend on p.
        var objective = new PowerObjective(0.5, 2, Reduction.Sum);

        var audit = GradientAudit.Run(LatentFamily.Bernoulli, [0.4, -1.0], 2, 1, objective, Build("st", LatentDistribution.Bernoulli), 1000, 3);

        Assert.All(audit.Exact, g => Assert.Equal(0, g, 1e-15));
        Assert.Null(audit.RelativeBias);
        Assert.Null(audit.CosineSimilarity);
    }

    [Fact]
    public void The_same_seed_repeats_the_numbers_and_another_seed_does_not()
    {
        var objective = new PowerObjective(0.45, 2, Reduction.Sum);
        var estimator = Build("reinforce-loo", LatentDistribution.Bernoulli);
        GradientAuditResult Audit(ulong seed) =>
            GradientAudit.Run(LatentFamily.Bernoulli, [0.2, -0.4], 2, 1, objective, estimator, 5000, seed);

        var first = Audit(9);
        Assert.Equal(first.Mean, Audit(9).Mean);
        Assert.Equal(first.Variance, Audit(9).Variance);
        Assert.NotEqual(first.Mean, Audit(10).Mean);
    }

    [Fact]
    public void Inconsistent_arguments_are_refused()
    {
        var objective = new PowerObjective(0.45, 2, Reduction.Sum);
        var st = Build("st", LatentDistribution.Bernoulli);

        Assert.Throws<ArgumentException>(() =>
            GradientAudit.Run(LatentFamily.Poisson, [0.0], 1, 1, objective, st, 100, 0));
        Assert.Throws<ArgumentException>(() =>
            GradientAudit.Run(LatentFamily.Bernoulli, [0.0, 1.0], 3, 1, objective, st, 100, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            GradientAudit.Run(LatentFamily.Bernoulli, [0.0], 1, 1, objective, st, 1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            GradientAudit.Run(LatentFamily.Bernoulli, [0.0, 1.0], 1, 2, objective, st, 100, 0));
    }

    private static void AssertClose(IReadOnlyList<double> expected, IReadOnlyList<double> actual, double relative, string what)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            double scale = Math.Max(Math.Abs(expected[i]), Math.Abs(actual[i]));
            Assert.True(Math.Abs(expected[i] - actual[i]) <= relative * scale,
                $"{what}[{i}]: {expected[i]:R} vs {actual[i]:R}");
        }
    }
}

using Pwgf.Estimators;
using Pwgf.Estimators.Diagnostics;
using Pwgf.Estimators.Families;
using Pwgf.Estimators.Objectives;
using Pwgf.Statistics;
using Xunit.Abstractions;

namespace Pwgf.UnitTests.Diagnostics;

/// <summary>
/// The audit's statistics: chunking changes nothing, known means come out, degenerate cases say so, and bias that
/// noise could fake is told apart from bias that it cannot.
/// </summary>
public sealed class GradientAuditTests(ITestOutputHelper output)
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
        Assert.Equal(whole.BiasTest.Method, chunked.BiasTest.Method);
        Assert.Equal(whole.BiasTest.Statistic, chunked.BiasTest.Statistic, 1e-6 * Math.Max(1, whole.BiasTest.Statistic));
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
        // Nothing varies and nothing differs: no direction to test, nothing to reject, and no bias to bound.
        Assert.Equal((0, 1.0), (audit.BiasTest.DegreesOfFreedom, audit.BiasTest.PValue));
        Assert.True(audit.RelativeBiasCorrected < 1e-12 && audit.RelativeBiasUpper95 < 1e-9, $"{audit.RelativeBiasCorrected} {audit.RelativeBiasUpper95}");
        Assert.Equal(0.0, audit.WorkNormalizedVariance);
    }

    [Fact]
    public void Relative_bias_and_cosine_are_absent_when_the_exact_gradient_vanishes()
    {
        // (z - 1/2)^2 is 1/4 for both Bernoulli outcomes, so E f does not depend on p.
        var objective = new PowerObjective(0.5, 2, Reduction.Sum);

        var audit = GradientAudit.Run(LatentFamily.Bernoulli, [0.4, -1.0], 2, 1, objective, Build("st", LatentDistribution.Bernoulli), 1000, 3);

        Assert.All(audit.Exact, g => Assert.Equal(0, g, 1e-15));
        Assert.Null(audit.RelativeBias);
        Assert.Null(audit.RelativeBiasCorrected);
        Assert.Null(audit.RelativeBiasUpper95);
        Assert.Null(audit.CosineSimilarity);
        Assert.Equal(GradientBias.ExactNotResolved, audit.CosineSimilarityUnavailable);
    }

    /// <summary>poisson-toy's objective, f(z) = mean_i (z_i - 3.4)^2, whose optimum is lambda* = 2.9.</summary>
    private static readonly PowerObjective PoissonToy = new(3.4, 2, Reduction.Mean);

    [Fact]
    public void Near_the_poisson_optimum_unbiased_estimators_pass_the_bias_test_and_st_fails_it()
    {
        // lambda = 2.95: the exact gradient per coordinate is lambda (1 + 2 (lambda - t)) / 3 = 0.0983, small against
        // the per-sample spread, so with the toy tasks' 1000 draws the uncorrected relative bias is mostly noise.
        double[] point = [.. Enumerable.Repeat(Math.Log(2.95), 3)];
        GradientAuditResult Audit(string name, int samples) =>
            GradientAudit.Run(LatentFamily.Poisson, point, 3, 1, PoissonToy, Build(name, LatentDistribution.Poisson), samples, 2024);

        var audits = new[] { 1000, 100_000 }.ToDictionary(samples => samples, samples =>
            (Pwgf: Audit("pwgf", samples), ExactDiff: Audit("exact-diff", samples), St: Audit("st", samples)));
        foreach (var (samples, (pwgf, exactDiff, st)) in audits)
        {
            foreach (var (name, audit) in new[] { ("pwgf", pwgf), ("exact-diff", exactDiff), ("st", st) })
            {
                output.WriteLine($"{name}, M = {samples}: p = {audit.BiasTest.PValue:G4} ({audit.BiasTest.Method}, T^2 = {audit.BiasTest.Statistic:G4}), " +
                                 $"relative bias {audit.RelativeBias:G4}, corrected {audit.RelativeBiasCorrected:G4}, upper 95 % {audit.RelativeBiasUpper95:G4}, " +
                                 $"cosine {audit.CosineSimilarity?.ToString("G4") ?? audit.CosineSimilarityUnavailable}");
            }
        }

        foreach (var (samples, (pwgf, exactDiff, st)) in audits)
        {
            // The unbiased ones are not rejected at 5 %, and what the noise explains is taken out of their bias.
            foreach (var unbiased in new[] { pwgf, exactDiff })
            {
                Assert.Equal(BiasTest.Hotelling, unbiased.BiasTest.Method);
                Assert.True(unbiased.BiasTest.PValue > 0.05, $"p = {unbiased.BiasTest.PValue} with {samples} samples");
                Assert.True(unbiased.RelativeBiasCorrected < unbiased.RelativeBias);
            }
            // ST's per-rate mean is 2 (lambda - t) = -0.9 against an exact 0.1: a relative bias of exactly 10,
            // rejected beyond doubt, and inside the upper bound.
            Assert.True(st.BiasTest.PValue < 1e-6, $"st p = {st.BiasTest.PValue}");
            Assert.True(st.RelativeBiasUpper95 >= 10, $"st upper bound {st.RelativeBiasUpper95} below the true 10");
        }
        Assert.InRange(audits[100_000].St.RelativeBiasCorrected!.Value, 9.5, 10.5);

        // With 100,000 draws the gradient is resolved: the unbiased estimators' corrected bias is near 0 with a small
        // bound, where the uncorrected figure at the toy tasks' 1000 draws is mostly noise.
        foreach (var settled in new[] { audits[100_000].Pwgf, audits[100_000].ExactDiff })
        {
            Assert.True(settled.RelativeBiasCorrected < 0.1, $"corrected {settled.RelativeBiasCorrected}");
            Assert.True(settled.RelativeBiasUpper95 < 0.3, $"upper bound {settled.RelativeBiasUpper95}");
        }
        Assert.True(audits[1000].Pwgf.RelativeBias > 0.5, "at 1000 draws the uncorrected bias is noise, not zero");
    }

    [Fact]
    public void Near_the_poisson_optimum_the_bias_test_rejects_pwgf_at_its_level()
    {
        const string name = "pwgf";
        // One seed above shows one p-value; over many seeds an unbiased estimator's p-values are uniform, so the
        // test rejects at 5 % in about 5 % of audits (3 standard deviations of Binomial(300, 0.05): 3.8 %), while ST
        // is rejected every time.
        double[] point = [.. Enumerable.Repeat(Math.Log(2.95), 3)];
        var estimator = Build(name, LatentDistribution.Poisson);
        var st = Build("st", LatentDistribution.Poisson);
        const int Audits = 300;
        int rejected = 0, stRejected = 0;
        for (ulong seed = 0; seed < Audits; seed++)
        {
            if (GradientAudit.Run(LatentFamily.Poisson, point, 3, 1, PoissonToy, estimator, 1000, seed).BiasTest.PValue < 0.05) rejected++;
            if (GradientAudit.Run(LatentFamily.Poisson, point, 3, 1, PoissonToy, st, 1000, seed).BiasTest.PValue < 1e-6) stRejected++;
        }
        output.WriteLine($"{name}: rejected in {rejected} of {Audits} audits; st below 1e-6 in {stRejected}");

        Assert.InRange((double)rejected / Audits, 0.05 - 0.038, 0.05 + 0.038);
        Assert.Equal(Audits, stRejected);
    }

    [Fact]
    public void Variance_is_normalised_by_evaluations_and_by_measured_time()
    {
        double[] point = [0.2, -0.1, 0.4];
        var audit = GradientAudit.Run(LatentFamily.Poisson, point, 3, 1, PoissonToy, Build("exact-diff", LatentDistribution.Poisson), 4000, 1);

        // exact-diff evaluates f at z and at z + e_i for every i: d + 1 = 4 evaluations per estimate.
        Assert.Equal(4, audit.Evaluations);
        Assert.Equal(audit.Variance.Average(), audit.MeanVariance, 1e-15);
        Assert.Equal(audit.MeanVariance * 4, audit.WorkNormalizedVariance, 1e-15);
        Assert.True(audit.SecondsPerEstimate > 0);
        Assert.Equal(audit.MeanVariance * audit.SecondsPerEstimate, audit.TimeNormalizedVariance, 1e-18);
    }

    [Fact]
    public void A_one_dimensional_audit_gives_no_cosine()
    {
        var audit = GradientAudit.Run(LatentFamily.Poisson, [Math.Log(1.7)], 1, 1, new PowerObjective(2.3, 2, Reduction.Sum),
            Build("st", LatentDistribution.Poisson), 2000, 4);

        Assert.Null(audit.CosineSimilarity);
        Assert.Equal(GradientBias.OneDimensional, audit.CosineSimilarityUnavailable);
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

using Pwgf.Estimators;
using Pwgf.Estimators.Families;
using Pwgf.Estimators.Objectives;
using Pwgf.UnitTests.Support;

namespace Pwgf.UnitTests.Estimators;

/// <summary>
/// Estimators against expectations known in closed form (docs/estimators.md, "Facts"; docs/pwgf.md), each row chosen
/// so the effect it checks is many standard errors wide. Fixed seeds.
/// </summary>
public sealed class ClosedFormExpectationTests
{
    private const int Samples = 200_000;

    private static IGradientEstimator Build(string name, LatentDistribution distribution, Dictionary<string, double>? parameters = null) =>
        EstimatorRegistry.Find(name)!.Build(distribution, parameters ?? []);

    [Theory]
    [InlineData(0.3, 0.45)]
    [InlineData(0.8, 0.45)]
    [InlineData(0.2, 0.499)]
    public void Bernoulli_st_mean_is_two_p_minus_t_not_the_true_one_minus_two_t(double p, double t)
    {
        // The two agree only at p = 1/2, so every row sits away from it.
        double logit = Math.Log(p / (1 - p));
        var objective = new PowerObjective(t, 2, Reduction.Sum);

        var st = GradientSampling.Sample(Build("st", LatentDistribution.Bernoulli), [logit], objective, Samples, 7);
        var exact = GradientSampling.Exact(objective, LatentFamily.Bernoulli, [logit]);

        double jacobian = p * (1 - p); // d p / d logit
        GradientSampling.AssertWithin(st, [2 * (p - t) * jacobian], 5, "st");
        Assert.Equal((1 - 2 * t) * jacobian, exact[0], 1e-12);
        Assert.True(Math.Abs(st.Mean[0] - exact[0]) > 20 * st.StandardError[0], "st should be visibly biased here");
    }

    [Theory]
    [InlineData(0.5, 2.3, -2.6, -3.6)]
    [InlineData(1.7, 2.3, -0.2, -1.2)]
    [InlineData(5.0, 2.3, 6.4, 5.4)]
    public void Poisson_pwgf_is_unbiased_on_a_quadratic_where_st_is_not(double rate, double target, double exactPerRate, double stPerRate)
    {
        var objective = new PowerObjective(target, 2, Reduction.Sum);
        double[] logRate = [Math.Log(rate)];

        var exact = GradientSampling.Exact(objective, LatentFamily.Poisson, logRate);
        var pwgf = GradientSampling.Sample(Build("pwgf", LatentDistribution.Poisson), logRate, objective, Samples, 11);
        var st = GradientSampling.Sample(Build("st", LatentDistribution.Poisson), logRate, objective, Samples, 12);

        // Gradients are taken with respect to the log-rate: d/d eta = lambda d/d lambda.
        Assert.Equal(exactPerRate * rate, exact[0], 1e-9);
        GradientSampling.AssertWithin(pwgf, [exactPerRate * rate], 5, "pwgf");
        GradientSampling.AssertWithin(st, [stPerRate * rate], 5, "st");
        Assert.True(Math.Abs(st.Mean[0] - exact[0]) > 10 * st.StandardError[0], "st should be visibly biased here");
    }

    [Fact]
    public void Poisson_pwgf_on_a_quartic_matches_the_derived_expectation_of_pwgf_md()
    {
        // f = (z - 3)^4 / 10 at lambda = 1.7: exact -1.2368, ST -2.8508, pwgf -1.3968 (per lambda, f scaled by 10 here).
        var objective = new PowerObjective(3, 4, Reduction.Sum);
        double rate = 1.7;
        double[] logRate = [Math.Log(rate)];

        Assert.Equal(-12.368 * rate, GradientSampling.Exact(objective, LatentFamily.Poisson, logRate)[0], 1e-3);
        GradientSampling.AssertWithin(
            GradientSampling.Sample(Build("pwgf", LatentDistribution.Poisson), logRate, objective, Samples, 13), [-13.968 * rate], 5, "pwgf");
        GradientSampling.AssertWithin(
            GradientSampling.Sample(Build("st", LatentDistribution.Poisson), logRate, objective, Samples, 14), [-28.508 * rate], 5, "st");
    }

    [Theory]
    [InlineData(LatentDistribution.Bernoulli, new[] { -1.0, 0.2, 2.0 }, 0.45)]
    [InlineData(LatentDistribution.Poisson, new[] { -0.5, 0.4, 1.5 }, 2.5)]
    public void Reinforce_loo_is_unbiased(LatentDistribution distribution, double[] parameters, double target)
    {
        var objective = new PowerObjective(target, 2, Reduction.Sum);
        var loo = Build("reinforce-loo", distribution, new() { ["samples"] = 3 });

        var summary = GradientSampling.Sample(loo, parameters, objective, Samples, 21);

        GradientSampling.AssertWithin(summary, GradientSampling.Exact(objective, LatentFamily.Of(distribution), parameters), 5, "reinforce-loo");
        Assert.Equal(3, loo.EvaluationsPerExample(parameters.Length));
    }

    [Fact]
    public void The_exact_estimator_returns_the_exact_gradient_for_every_sample()
    {
        var objective = new PowerObjective(3.4, 2, Reduction.Mean);
        double[] logRates = [0, 0.5, 1];

        var summary = GradientSampling.Sample(Build("exact", LatentDistribution.Poisson), logRates, objective, 10, 1);

        // E (z - t)^2 = lambda + (lambda - t)^2, so d/d eta = lambda (1 + 2 (lambda - t)) / d for the mean over d.
        for (int i = 0; i < 3; i++)
        {
            double rate = Math.Exp(logRates[i]);
            Assert.Equal(rate * (1 + 2 * (rate - 3.4)) / 3, summary.Mean[i], 1e-10);
            Assert.Equal(0, summary.Variance[i]);
        }
    }

    [Fact]
    public void The_poisson_support_bound_leaves_less_than_1e_minus_12_outside()
    {
        foreach (double rate in new[] { 0.01, 1, 7.3, 100, 2500 })
        {
            long bound = PoissonFamily.SupportBound(rate);
            double tail = PoissonTail(rate, bound);
            Assert.True(tail < 1e-12, $"rate {rate}: tail {tail} beyond {bound}");
        }
    }

    /// <summary>P(Z > n), summed term by term (not 1 - cdf, which cancels catastrophically near 1e-12).</summary>
    private static double PoissonTail(double rate, long n)
    {
        double logFactorial = 0;
        for (long i = 2; i <= n; i++) logFactorial += Math.Log(i);
        double tail = 0;
        for (long k = n + 1; k <= n + 10_000; k++)
        {
            logFactorial += Math.Log(k);
            tail += Math.Exp(k * Math.Log(rate) - rate - logFactorial);
        }
        return tail;
    }
}

using Pwgf.Estimators;
using Pwgf.Estimators.Families;
using Pwgf.Estimators.Objectives;
using Pwgf.UnitTests.Support;

namespace Pwgf.UnitTests.Estimators;

/// <summary>
/// Every estimator against exact gradients on small problems (fixed seeds, explicit tolerances). Means of per-sample
/// estimates are compared in units of their own standard error.
/// </summary>
public sealed class ConformanceTests
{
    private const int Samples = 100_000;
    private const double Tolerance = 5; // standard errors

    public static TheoryData<string, string> UnbiasedPairs =>
        ConformanceProblems.Pairs(e => e.Unbiased && e.Name != "exact");

    public static TheoryData<string, string> EveryPair => ConformanceProblems.Pairs(_ => true);

    public static TheoryData<string> ProblemKeys => new(ConformanceProblems.All.Select(p => p.Key));

    [Theory]
    [MemberData(nameof(UnbiasedPairs))]
    public void Unbiased_estimators_match_the_exact_gradient(string estimator, string problemKey)
    {
        var problem = ConformanceProblems.Get(problemKey);
        var exact = GradientSampling.Exact(problem.Objective, problem.Family, problem.Point, problem.Classes);

        var summary = GradientSampling.Sample(ConformanceProblems.Build(estimator, problem), problem.Point, problem.Objective, Samples, 101, problem.Classes);

        GradientSampling.AssertWithin(summary, exact, Tolerance, $"{estimator} on {problemKey}");
    }

    [Theory]
    [MemberData(nameof(ProblemKeys))]
    public void The_exact_reference_agrees_with_brute_force_enumeration(string problemKey)
    {
        var problem = ConformanceProblems.Get(problemKey);
        var exact = GradientSampling.Exact(problem.Objective, problem.Family, problem.Point, problem.Classes);

        for (int i = 0; i < problem.Point.Length; i++)
        {
            const double h = 1e-5;
            double[] up = [.. problem.Point], down = [.. problem.Point];
            up[i] += h;
            down[i] -= h;
            double difference = (Expectation(problem, up) - Expectation(problem, down)) / (2 * h);
            Assert.Equal(difference, exact[i], 1e-6);
        }
        Assert.Equal(Expectation(problem, problem.Point),
            problem.Objective.Expectation(problem.Family, TorchSharp.torch.tensor(problem.Point).reshape(Shape(problem))).item<double>(), 1e-10);
    }

    [Theory]
    [MemberData(nameof(ProblemKeys))]
    public void St_matches_its_derived_expectation(string problemKey)
    {
        // ST's mean is E[grad_z f(z)] at exact samples, pushed through the mean's Jacobian:
        // p (1 - p) for a logit, lambda for a log-rate, J(pi)^T = diag(pi) - pi pi^T for categorical logits.
        var problem = ConformanceProblems.Get(problemKey);
        var expected = Enumeration.ExpectedSampleGradient(problem.Family, problem.Objective, problem.Point, problem.Dims, problem.Classes);
        var derived = ThroughMeanJacobian(problem, expected);

        var summary = GradientSampling.Sample(ConformanceProblems.Build("st", problem), problem.Point, problem.Objective, Samples, 202, problem.Classes);

        GradientSampling.AssertWithin(summary, derived, Tolerance, $"st on {problemKey}");
    }

    [Theory]
    [InlineData("bernoulli-a-power")]
    [InlineData("bernoulli-b-linear")]
    [InlineData("categorical-a-linear")]
    public void Pwgf_is_straight_through_for_bernoulli_and_categorical(string problemKey)
    {
        var problem = ConformanceProblems.Get(problemKey);
        var pwgf = GradientSampling.Sample(ConformanceProblems.Build("pwgf", problem), problem.Point, problem.Objective, 1000, 5, problem.Classes);
        var st = GradientSampling.Sample(ConformanceProblems.Build("st", problem), problem.Point, problem.Objective, 1000, 5, problem.Classes);

        Assert.Equal(st.Mean, pwgf.Mean);
        Assert.Equal(st.Variance, pwgf.Variance);
    }

    [Theory]
    [InlineData("poisson-a-power")]
    [InlineData("poisson-a-linear")]
    [InlineData("poisson-b-power")]
    [InlineData("poisson-b-linear")]
    public void Poisson_pwgf_is_unbiased_on_quadratic_objectives_and_its_preconditioned_form_rescales_it(string problemKey)
    {
        var problem = ConformanceProblems.Get(problemKey);
        var exact = GradientSampling.Exact(problem.Objective, problem.Family, problem.Point);

        var plain = GradientSampling.Sample(ConformanceProblems.Build("pwgf", problem), problem.Point, problem.Objective, Samples, 303);
        var preconditioned = GradientSampling.Sample(
            ConformanceProblems.Build("pwgf", problem, new() { ["preconditioned"] = 1 }), problem.Point, problem.Objective, Samples, 304);

        GradientSampling.AssertWithin(plain, exact, Tolerance, "pwgf");
        var metric = problem.Point.Select(eta => 1 / (1 + 1 / (4 * Math.Exp(eta)))).ToArray();
        GradientSampling.AssertWithin(preconditioned, [.. exact.Select((g, i) => g * metric[i])], Tolerance, "preconditioned pwgf");
    }

    [Theory]
    [InlineData("bernoulli-a-power")]
    [InlineData("bernoulli-a-linear")]
    [InlineData("bernoulli-b-linear")]
    public void Reinmax_is_unbiased_at_temperature_one_on_quadratic_bernoulli_objectives(string problemKey)
    {
        var problem = ConformanceProblems.Get(problemKey);
        var exact = GradientSampling.Exact(problem.Objective, problem.Family, problem.Point);

        var summary = GradientSampling.Sample(ConformanceProblems.Build("reinmax", problem, new() { ["temperature"] = 1 }), problem.Point, problem.Objective, Samples, 404);

        GradientSampling.AssertWithin(summary, exact, Tolerance, "reinmax at tau = 1");
    }

    [Fact]
    public void Reinmax_is_detectably_biased_at_temperature_one_point_three()
    {
        var problem = ConformanceProblems.Get("bernoulli-a-linear");
        var exact = GradientSampling.Exact(problem.Objective, problem.Family, problem.Point);

        var summary = GradientSampling.Sample(ConformanceProblems.Build("reinmax", problem, new() { ["temperature"] = 1.3 }), problem.Point, problem.Objective, Samples, 405);

        double largest = exact.Select((g, i) => Math.Abs(summary.Mean[i] - g) / summary.StandardError[i]).Max();
        Assert.True(largest > 10, $"reinmax at tau = 1.3 is within {largest:F1} standard errors of exact on every coordinate");
    }

    [Theory]
    [InlineData(-3.0)]
    [InlineData(-0.5)]
    [InlineData(0.0)]
    [InlineData(1.2)]
    [InlineData(4.0)]
    public void Disarm_never_has_more_variance_than_arm(double logit)
    {
        foreach (var objective in new IExactObjective[] { new PowerObjective(0.45, 2, Reduction.Sum), new LinearSquareObjective([1, -2, 0.5], 0.7) })
        {
            double[] point = [logit, -logit / 2, 0.7];
            var problem = new ConformanceProblem("arm", LatentDistribution.Bernoulli, point, 3, 0, objective);
            var arm = GradientSampling.Sample(ConformanceProblems.Build("arm", problem), point, objective, Samples, 505);
            var disarm = GradientSampling.Sample(ConformanceProblems.Build("disarm", problem), point, objective, Samples, 505);

            // Relative sampling error of a variance estimate at this n is about sqrt(2 / n) = 0.45%.
            for (int i = 0; i < point.Length; i++)
            {
                Assert.True(disarm.Variance[i] <= arm.Variance[i] * 1.02 + 1e-15,
                    $"coordinate {i}: disarm {disarm.Variance[i]:G4} > arm {arm.Variance[i]:G4}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(EveryPair))]
    public void A_constant_objective_gives_a_zero_gradient(string estimator, string problemKey)
    {
        var problem = ConformanceProblems.Get(problemKey);
        var constant = new LinearSquareObjective(new double[problem.Dims], 1.5); // f = 1.5^2 whatever z is

        var summary = GradientSampling.Sample(ConformanceProblems.Build(estimator, problem), problem.Point, constant, 20_000, 606, problem.Classes);

        GradientSampling.AssertWithin(summary, new double[problem.Point.Length], Tolerance, estimator);
        if (estimator is not ("reinforce" or "rebar" or "relax" or "nvil"))
        {
            // No score term without a baseline: every single estimate is exactly zero.
            Assert.All(summary.Variance, v => Assert.Equal(0, v));
        }
    }

    [Theory]
    [MemberData(nameof(EveryPair))]
    public void Each_estimator_costs_the_evaluations_it_reports(string estimator, string problemKey)
    {
        var problem = ConformanceProblems.Get(problemKey);
        var counting = new CountingObjective(problem.Objective);
        var built = ConformanceProblems.Build(estimator, problem);

        GradientSampling.Sample(built, problem.Point, counting, 64, 7, problem.Classes);

        Assert.Equal(built.EvaluationsPerExample(problem.Dims, Math.Max(1, problem.Classes)), counting.Rows / 64.0);
    }

    [Theory]
    [InlineData("gumbel-softmax", "bernoulli-a-power")]
    [InlineData("gumbel-softmax", "categorical-a-linear")]
    [InlineData("eat", "poisson-a-power")]
    [InlineData("gengs", "poisson-a-linear")]
    public void A_cold_relaxation_evaluates_f_at_samples_of_the_right_distribution(string estimator, string problemKey)
    {
        // As the temperature goes to 0 a relaxed sample becomes an exact one, so the mean forward value is E f.
        var problem = ConformanceProblems.Get(problemKey);
        var built = ConformanceProblems.Build(estimator, problem, new() { ["temperature"] = 0.01 });
        using var scope = TorchSharp.torch.NewDisposeScope();
        using var generator = new TorchSharp.torch.Generator(707);
        var rows = TorchSharp.torch.tensor(problem.Point).reshape(Shape(problem)).unsqueeze(0).expand([Samples, .. Shape(problem)]);

        var values = built.Surrogate(rows, problem.Objective, generator);

        double mean = values.mean().item<double>(), standardError = values.std().item<double>() / Math.Sqrt(Samples);
        double exact = Expectation(problem, problem.Point);
        Assert.True(Math.Abs(mean - exact) < Tolerance * standardError + 0.01 * Math.Abs(exact),
            $"{estimator}: mean f {mean:G6} vs E f {exact:G6} (se {standardError:G3})");
    }

    [Theory]
    [InlineData("categorical-a-power")]
    [InlineData("categorical-b-linear")]
    public void Gumbel_rao_keeps_the_mean_of_st_gumbel_softmax_and_lowers_its_variance(string problemKey)
    {
        var problem = ConformanceProblems.Get(problemKey);
        var straight = GradientSampling.Sample(ConformanceProblems.Build("st-gumbel-softmax", problem), problem.Point, problem.Objective, Samples, 808, problem.Classes);
        var rao = GradientSampling.Sample(ConformanceProblems.Build("gumbel-rao", problem, new() { ["draws"] = 20 }), problem.Point, problem.Objective, Samples, 809, problem.Classes);

        for (int i = 0; i < problem.Point.Length; i++)
        {
            double combined = Math.Sqrt(Math.Pow(straight.StandardError[i], 2) + Math.Pow(rao.StandardError[i], 2));
            Assert.True(Math.Abs(straight.Mean[i] - rao.Mean[i]) <= Tolerance * combined + 1e-12, $"coordinate {i}: means differ");
            Assert.True(rao.Variance[i] <= straight.Variance[i] * 1.02 + 1e-15, $"coordinate {i}: variance not lowered");
        }
    }

    [Theory]
    [InlineData("rebar")]
    [InlineData("relax")]
    public void Rebar_and_relax_tune_their_control_variate_without_becoming_biased(string estimator)
    {
        var problem = ConformanceProblems.Get("bernoulli-a-linear");
        var exact = GradientSampling.Exact(problem.Objective, problem.Family, problem.Point);
        using var tuned = (ISelfTuningEstimator)ConformanceProblems.Build(estimator, problem, new() { ["tuningRate"] = 0.05 });
        var before = GradientSampling.Sample(tuned, problem.Point, problem.Objective, Samples, 909);

        using (var generator = new TorchSharp.torch.Generator(910))
        {
            for (int step = 0; step < 300; step++)
            {
                using var scope = TorchSharp.torch.NewDisposeScope();
                var rows = TorchSharp.torch.tensor(problem.Point).unsqueeze(0).expand(64, 3).clone().requires_grad_(true);
                tuned.Tune(tuned.Surrogate(rows, problem.Objective, generator), rows);
            }
        }
        var after = GradientSampling.Sample(tuned, problem.Point, problem.Objective, Samples, 911);

        GradientSampling.AssertWithin(after, exact, Tolerance, $"tuned {estimator}");
        Assert.True(after.Variance.Sum() < before.Variance.Sum(), $"variance {before.Variance.Sum():G4} -> {after.Variance.Sum():G4}");
    }

    private static double Expectation(ConformanceProblem problem, double[] point) =>
        Enumeration.Expectation(problem.Family, problem.Objective, point, problem.Dims, problem.Classes);

    private static long[] Shape(ConformanceProblem problem) =>
        problem.Classes > 0 ? [problem.Dims, problem.Classes] : [problem.Dims];

    private static double[] ThroughMeanJacobian(ConformanceProblem problem, double[] sampleGradient)
    {
        var result = new double[problem.Point.Length];
        switch (problem.Distribution)
        {
            case LatentDistribution.Bernoulli:
                for (int i = 0; i < result.Length; i++)
                {
                    double p = 1 / (1 + Math.Exp(-problem.Point[i]));
                    result[i] = sampleGradient[i] * p * (1 - p);
                }
                break;
            case LatentDistribution.Poisson:
                for (int i = 0; i < result.Length; i++) result[i] = sampleGradient[i] * Math.Exp(problem.Point[i]);
                break;
            default:
                int k = problem.Classes;
                for (int d = 0; d < problem.Dims; d++)
                {
                    var logits = problem.Point.AsSpan(d * k, k).ToArray();
                    var pi = logits.Select(x => Math.Exp(x - logits.Max())).ToArray();
                    double total = pi.Sum();
                    for (int a = 0; a < k; a++) pi[a] /= total;
                    double weighted = Enumerable.Range(0, k).Sum(b => pi[b] * sampleGradient[d * k + b]);
                    for (int a = 0; a < k; a++) result[d * k + a] = pi[a] * (sampleGradient[d * k + a] - weighted);
                }
                break;
        }
        return result;
    }
}

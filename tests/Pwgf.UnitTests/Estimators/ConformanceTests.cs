using Pwgf.Estimators;
using Pwgf.Estimators.Families;
using Pwgf.Estimators.Objectives;
using Pwgf.UnitTests.Support;

namespace Pwgf.UnitTests.Estimators;

/// <summary>
/// Every registered estimator's mean against its exact expected gradient, computed independently of its
/// implementation (<see cref="ExpectationReferences"/>): the exact gradient for unbiased estimators, enumeration of
/// the sample for those the sample determines, deterministic quadrature over the noise for the relaxations. Which
/// estimators exist, which are unbiased and where each applies is pinned in <see cref="PinnedEstimators"/>, never
/// read from the registry. Fixed seeds; means are compared in units of their own standard error.
/// </summary>
public sealed class ConformanceTests
{
    private const int Samples = 100_000;
    private const double Tolerance = 5; // standard errors

    public static TheoryData<string, string, string> ExpectationCases => Rows(PinnedEstimators.Cases());

    public static TheoryData<string, string, string> RuleCases => Rows(PinnedEstimators.Cases().Where(c => c.Estimator.Rule is not null));

    /// <summary>Each pinned estimator at its first setting on every problem of its families.</summary>
    public static TheoryData<string, string> EveryPair
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var estimator in PinnedEstimators.OfExpectations)
                foreach (var problem in ConformanceProblems.All.Where(p => estimator.Families.Contains(p.Distribution)))
                    data.Add(estimator.Name, problem.Key);
            return data;
        }
    }

    public static TheoryData<string> ProblemKeys => new(ConformanceProblems.All.Select(p => p.Key));

    [Fact]
    public void The_registry_offers_exactly_the_pinned_estimators_with_their_flags_and_families()
    {
        Assert.Equal(PinnedEstimators.Table.Select(e => e.Name).Order(), EstimatorRegistry.All.Select(e => e.Name).Order());
        foreach (var pinned in PinnedEstimators.Table)
        {
            var registered = EstimatorRegistry.Find(pinned.Name)!;
            Assert.True(pinned.Unbiased == registered.Unbiased, $"{pinned.Name}: the registry says unbiased = {registered.Unbiased}");
            Assert.True(pinned.TrainsBound == registered.NeedsImportanceWeights,
                $"{pinned.Name}: the registry says it needs importance weights = {registered.NeedsImportanceWeights}");
            Assert.Equal(pinned.Families.Order(), registered.Distributions.Order());
        }
    }

    [Fact]
    public void Every_estimator_has_its_expectation_checked_on_three_problems_of_each_family_it_applies_to()
    {
        var cases = PinnedEstimators.Cases().ToList();
        foreach (var estimator in PinnedEstimators.Table.Where(e => e.TrainsBound))
        {
            foreach (var family in estimator.Families)
            {
                int problems = MultiSampleBoundTests.Problems.Count(p => p.Distribution == family);
                Assert.True(problems >= 3, $"{estimator.Name} is checked on {problems} {family} bound problems");
            }
        }
        foreach (var estimator in PinnedEstimators.OfExpectations)
        {
            foreach (var family in estimator.Families)
            {
                int problems = cases.Where(c => c.Estimator == estimator && c.Problem.Distribution == family).Select(c => c.Problem.Key).Distinct().Count();
                Assert.True(problems >= 3, $"{estimator.Name} is checked on {problems} {family} problems");
            }
            Assert.All(estimator.Settings, setting => Assert.Contains(cases, c => c.Estimator == estimator && c.Setting == setting));
        }
    }

    [Theory]
    [MemberData(nameof(ExpectationCases))]
    public void Each_estimator_mean_matches_its_independently_computed_expectation(string estimator, string setting, string problemKey)
    {
        var pinned = PinnedEstimators.Get(estimator);
        var chosen = pinned.Settings.Single(s => s.Label == setting);
        var problem = ConformanceProblems.Get(problemKey);
        var expected = pinned.Reference(problem, chosen);

        ulong seed = (ulong)$"{estimator}/{setting}/{problemKey}".Sum(c => c * 131);
        var summary = GradientSampling.Sample(ConformanceProblems.BuildWith(estimator, problem, chosen), problem.Point, problem.Objective, pinned.Samples, seed, problem.Classes);

        // The quadrature references are accurate to far better than 1e-8 relative; the slack only absorbs rounding.
        GradientSampling.AssertWithin(summary, expected, Tolerance, $"{estimator}({setting}) on {problemKey}", slack: 1e-9 + 1e-7 * expected.Max(Math.Abs));
    }

    [Theory]
    [MemberData(nameof(RuleCases))]
    public void Estimators_the_sample_determines_follow_their_rule_sample_by_sample(string estimator, string setting, string problemKey)
    {
        var pinned = PinnedEstimators.Get(estimator);
        var chosen = pinned.Settings.Single(s => s.Label == setting);
        var problem = ConformanceProblems.Get(problemKey);
        var rule = pinned.Rule!(problem.Distribution, chosen);
        var built = ConformanceProblems.BuildWith(estimator, problem, chosen);
        int width = Math.Max(problem.Classes, 1), size = problem.Point.Length;
        const int draws = 300;

        var recording = new RecordingObjective(problem.Objective);
        var estimates = GradientSampling.PerSample(built, problem.Point, recording, draws, 77, problem.Classes);
        var samples = recording.Inputs;
        using var scope = TorchSharp.torch.NewDisposeScope();
        var sampleGradients = Enumeration.SampleGradients(problem.Family, problem.Objective,
            TorchSharp.torch.tensor(samples).reshape([draws, .. problem.Shape])).data<double>().ToArray();
        for (int n = 0; n < draws; n++)
        {
            for (int d = 0; d < problem.Dims; d++)
            {
                var range = (n * size + d * width)..(n * size + (d + 1) * width);
                var expected = rule(problem.Point[(d * width)..((d + 1) * width)], samples[range], sampleGradients[range]);
                for (int k = 0; k < width; k++)
                {
                    double actual = estimates[n][d * width + k];
                    Assert.True(Math.Abs(actual - expected[k]) <= 1e-10 * (1 + Math.Abs(expected[k])),
                        $"{estimator}({setting}) draw {n}, coordinate {d * width + k}: {actual:G10} vs {expected[k]:G10}");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(ProblemKeys))]
    public void The_objectives_exact_expectation_agrees_with_brute_force_enumeration(string problemKey)
    {
        // Diagnostics and the exact estimator use the objectives' own expectation; enumeration checks it.
        var problem = ConformanceProblems.Get(problemKey);
        var library = GradientSampling.Exact(problem.Objective, problem.Family, problem.Point, problem.Classes);
        var enumerated = Enumeration.ExactGradient(problem.Family, problem.Objective, problem.Point, problem.Dims, problem.Classes);

        for (int i = 0; i < problem.Point.Length; i++) Assert.Equal(enumerated[i], library[i], 1e-9);
        Assert.Equal(Expectation(problem, problem.Point),
            problem.Objective.Expectation(problem.Family, TorchSharp.torch.tensor(problem.Point).reshape(problem.Shape)).item<double>(), 1e-10);
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

        var summary = GradientSampling.Sample(ConformanceProblems.BuildWith(estimator, problem, PinnedEstimators.Get(estimator).Settings[0]), problem.Point, constant, 4_000, 606, problem.Classes);

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
        var built = ConformanceProblems.BuildWith(estimator, problem, PinnedEstimators.Get(estimator).Settings[0]);

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
        var rows = TorchSharp.torch.tensor(problem.Point).reshape(problem.Shape).unsqueeze(0).expand([Samples, .. problem.Shape]);

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
        const int samples = 40_000;
        var straight = GradientSampling.Sample(ConformanceProblems.Build("st-gumbel-softmax", problem), problem.Point, problem.Objective, samples, 808, problem.Classes);
        var rao = GradientSampling.Sample(ConformanceProblems.Build("gumbel-rao", problem, new() { ["draws"] = 10 }), problem.Point, problem.Objective, samples, 809, problem.Classes);

        EstimatorTestReferences.AssertSameMeans(straight, rao, Tolerance, "st-gumbel-softmax vs gumbel-rao");
        for (int i = 0; i < problem.Point.Length; i++)
        {
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
        const int samples = 40_000;
        var before = GradientSampling.Sample(tuned, problem.Point, problem.Objective, samples, 909);

        using (var generator = new TorchSharp.torch.Generator(910))
        {
            for (int step = 0; step < 300; step++)
            {
                using var scope = TorchSharp.torch.NewDisposeScope();
                var rows = TorchSharp.torch.tensor(problem.Point).unsqueeze(0).expand(64, 3).clone().requires_grad_(true);
                tuned.Tune(tuned.Surrogate(rows, problem.Objective, generator), rows);
            }
        }
        var after = GradientSampling.Sample(tuned, problem.Point, problem.Objective, samples, 911);

        GradientSampling.AssertWithin(after, exact, Tolerance, $"tuned {estimator}");
        Assert.True(after.Variance.Sum() < before.Variance.Sum(), $"variance {before.Variance.Sum():G4} -> {after.Variance.Sum():G4}");
    }

    private static TheoryData<string, string, string> Rows(IEnumerable<(PinnedEstimator Estimator, EstimatorSetting Setting, ConformanceProblem Problem)> cases)
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (estimator, setting, problem) in cases) data.Add(estimator.Name, setting.Label, problem.Key);
        return data;
    }

    private static double Expectation(ConformanceProblem problem, double[] point) =>
        Enumeration.Expectation(problem.Family, problem.Objective, point, problem.Dims, problem.Classes);
}

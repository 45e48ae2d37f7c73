using Pwgf.Estimators;
using Pwgf.Estimators.Families;
using Pwgf.Estimators.Objectives;
using Pwgf.UnitTests.Support;
using TorchSharp;
using static Pwgf.Estimators.Families.LatentDistribution;

namespace Pwgf.UnitTests.Estimators;

/// <summary>
/// Properties of single estimators beyond their means (which <see cref="ConformanceTests"/> checks): identities between
/// estimators, exactness where the sample covers the domain, reported evaluation counts, stability in float32 with one
/// example, and zero gradients of constant objectives. Cases are listed by name here, never taken from the registry.
/// </summary>
public sealed class EstimatorPropertyTests
{
    private const double Tolerance = 5; // standard errors

    [Theory]
    [InlineData("bernoulli-a-linear")]
    [InlineData("bernoulli-b-power3")]
    [InlineData("bernoulli-a-power")]
    public void Arms_with_two_samples_is_disarm(string problemKey)
    {
        // Dimitriev and Zhou: with n = 2 the Dirichlet copula gives u and 1 - u, the antithetic pair of DisARM.
        var problem = ConformanceProblems.Get(problemKey);
        using var arms = Build("arms", Bernoulli, "samples=2");
        using var disarm = Build("disarm", Bernoulli, "");

        var a = GradientSampling.Sample(arms.Estimator, problem.Point, problem.Objective, 100_000, 1702);
        var d = GradientSampling.Sample(disarm.Estimator, problem.Point, problem.Objective, 100_000, 1703);

        EstimatorTestReferences.AssertSameMeans(a, d, Tolerance, "arms(2) vs disarm");
        for (int i = 0; i < problem.Point.Length; i++)
        {
            // The variance estimate's relative sampling error is about sqrt(2 / n) = 0.45% at this n (kurtosis aside).
            Assert.InRange(a.Variance[i] / d.Variance[i], 0.95, 1.05);
        }
    }

    [Theory]
    [InlineData("poisson-a-power")]
    [InlineData("poisson-b-linear")]
    [InlineData("poisson-a-linear")]
    public void Leg_on_poisson_has_the_mean_of_exact_diff_and_no_more_variance(string problemKey)
    {
        // With the whole support summed (truncation far above the rates) leg_i = E[exact-diff_i | other coordinates].
        var problem = ConformanceProblems.Get(problemKey);
        using var leg = Build("leg", Poisson, "truncation=40");
        using var difference = Build("exact-diff", Poisson, "");

        var l = GradientSampling.Sample(leg.Estimator, problem.Point, problem.Objective, 20_000, 1704);
        var e = GradientSampling.Sample(difference.Estimator, problem.Point, problem.Objective, 20_000, 1705);

        EstimatorTestReferences.AssertSameMeans(l, e, Tolerance, "leg vs exact-diff");
        for (int i = 0; i < problem.Point.Length; i++)
        {
            Assert.True(l.Variance[i] <= e.Variance[i] * 1.05, $"coordinate {i}: leg {l.Variance[i]:G4} > exact-diff {e.Variance[i]:G4}");
        }
    }

    [Fact]
    public void Unordered_set_is_exact_when_k_covers_every_configuration()
    {
        // One coordinate with three classes and k = 4: the set is the whole domain, so every estimate is the gradient.
        var problem = new ConformanceProblem("categorical-one", Categorical, [0.4, -0.9, 1.3], 1, 3, new PowerObjective(0.7, 2, Reduction.Sum));
        using var built = Build("unordered-set", Categorical, "samples=4");

        var summary = GradientSampling.Sample(built.Estimator, problem.Point, problem.Objective, 200, 1706, problem.Classes);

        var exact = EstimatorTestReferences.ExactByEnumeration(problem);
        for (int i = 0; i < exact.Length; i++)
        {
            Assert.Equal(exact[i], summary.Mean[i], 1e-8);
            Assert.True(summary.Variance[i] < 1e-20, $"coordinate {i}: variance {summary.Variance[i]}");
        }
        Assert.Equal(3, built.Estimator.EvaluationsPerExample(1, 3));
    }

    public static TheoryData<string, string, string> EveryNewPair() => new()
    {
        { "nvil", "bernoulli-a-linear", "" }, { "nvil", "categorical-b-power", "" }, { "nvil", "poisson-a-linear", "" },
        { "muprop", "bernoulli-b-linear", "" }, { "muprop", "categorical-a-power", "" },
        { "arms", "bernoulli-a-power", "samples=5" },
        { "disarm", "categorical-b-linear", "" },
        { "leg", "bernoulli-a-linear", "" }, { "leg", "categorical-b-power", "" }, { "leg", "poisson-b-power", "truncation=5" },
        { "rebar", "categorical-a-linear", "" }, { "relax", "categorical-b-power", "" },
        { "unordered-set", "categorical-b-linear", "samples=6" },
        { "st-eat", "poisson-a-power", "" },
    };

    [Theory]
    [MemberData(nameof(EveryNewPair))]
    public void Each_new_estimator_evaluates_f_as_often_as_it_reports(string estimator, string problemKey, string parameters)
    {
        var problem = ConformanceProblems.Get(problemKey);
        var counting = new CountingObjective(problem.Objective);
        using var built = Build(estimator, problem.Distribution, parameters);

        GradientSampling.Sample(built.Estimator, problem.Point, counting, 64, 1707, problem.Classes);

        int classes = Math.Max(1, problem.Classes);
        Assert.Equal(built.Estimator.EvaluationsPerExample(problem.Dims, classes), counting.Rows / 64.0);
    }

    [Theory]
    [MemberData(nameof(EveryNewPair))]
    public void Each_new_estimator_trains_in_float32_with_one_example_per_step(string estimator, string problemKey, string parameters)
    {
        // What a VAE hands an estimator (float32, a decoder's own dtype) and the toys' default batch of one.
        var problem = ConformanceProblems.Get(problemKey);
        using var built = Build(estimator, problem.Distribution, parameters);
        using var generator = new TorchSharp.torch.Generator(1709);
        long[] shape = problem.Classes > 0 ? [1, problem.Dims, problem.Classes] : [1, problem.Dims];
        for (int step = 0; step < 5; step++)
        {
            using var scope = TorchSharp.torch.NewDisposeScope();
            var rows = TorchSharp.torch.tensor(problem.Point, TorchSharp.torch.float32).reshape(shape).clone().requires_grad_(true);
            var surrogate = built.Estimator.Surrogate(rows, problem.Objective, generator);
            (built.Estimator as ISelfTuningEstimator)?.Tune(surrogate, rows);
            surrogate.sum().backward();

            Assert.Equal(TorchSharp.torch.ScalarType.Float32, surrogate.dtype);
            Assert.True(rows.grad!.isfinite().all().item<bool>(), $"{estimator}: gradient {rows.grad.ToString(TorchSharp.TensorStringStyle.Numpy)}");
            Assert.True(double.IsFinite(surrogate.ToDouble()), $"{estimator}: surrogate {surrogate.ToDouble()}");
        }
    }

    [Fact]
    public void Reported_costs_follow_the_formulas_of_the_documentation()
    {
        using var legBernoulli = Build("leg", Bernoulli, "");
        using var legCategorical = Build("leg", Categorical, "");
        using var legPoisson = Build("leg", Poisson, "truncation=9");
        using var arms = Build("arms", Bernoulli, "samples=7");
        using var set = Build("unordered-set", Categorical, "samples=5");

        Assert.Equal(201, legBernoulli.Estimator.EvaluationsPerExample(200));
        Assert.Equal(20 * 9 + 1, legCategorical.Estimator.EvaluationsPerExample(20, 10));
        Assert.Throws<InvalidOperationException>(() => legCategorical.Estimator.EvaluationsPerExample(20));
        Assert.Equal(50 * 10 + 1, legPoisson.Estimator.EvaluationsPerExample(50, 1));
        Assert.Equal(7, arms.Estimator.EvaluationsPerExample(200));
        Assert.Equal((5, 4), (set.Estimator.EvaluationsPerExample(20, 10), set.Estimator.EvaluationsPerExample(2, 2)));
    }

    [Theory]
    [MemberData(nameof(EveryNewPair))]
    public void A_constant_objective_gives_a_zero_gradient(string estimator, string problemKey, string parameters)
    {
        var problem = ConformanceProblems.Get(problemKey);
        var constant = new LinearSquareObjective(new double[problem.Dims], 1.5);
        using var built = Build(estimator, problem.Distribution, parameters);

        var summary = GradientSampling.Sample(built.Estimator, problem.Point, constant, 20_000, 1708, problem.Classes);

        EstimatorTestReferences.AssertWithin(summary, new double[problem.Point.Length], Tolerance, estimator);
        if (estimator is not ("nvil" or "rebar" or "relax"))
        {
            // Every f difference these estimators form is exactly zero; nvil, rebar and relax score f against a baseline.
            Assert.All(summary.Variance, v => Assert.Equal(0, v));
        }
    }

    [Fact]
    public void The_registry_offers_each_new_name_for_exactly_its_families()
    {
        var expected = new Dictionary<string, LatentDistribution[]>
        {
            ["nvil"] = [Bernoulli, Categorical, Poisson],
            ["muprop"] = [Bernoulli, Categorical],
            ["arms"] = [Bernoulli],
            ["disarm"] = [Bernoulli, Categorical],
            ["leg"] = [Bernoulli, Categorical, Poisson],
            ["rebar"] = [Bernoulli, Categorical],
            ["relax"] = [Bernoulli, Categorical],
            ["unordered-set"] = [Categorical],
            ["st-eat"] = [Poisson],
            ["vimco"] = [Bernoulli, Categorical, Poisson],
        };
        foreach (var (name, families) in expected)
        {
            var definition = EstimatorRegistry.Find(name);
            Assert.NotNull(definition);
            Assert.Equal(families, definition.Distributions.Order());
            foreach (var family in families)
            {
                using var built = Build(name, family, "");
                Assert.Equal(name, built.Estimator.Name);
                Assert.Equal(family, built.Estimator.Family.Distribution);
            }
        }
        Assert.False(EstimatorRegistry.Find("st-eat")!.Unbiased);
        Assert.Equal(4, Default("arms", "samples"));
        Assert.Equal(4, Default("unordered-set", "samples"));
        Assert.Equal(32, Default("leg", "truncation"));
        Assert.Equal(0.1, Default("st-eat", "temperature"));
        Assert.Equal(5, Default("vimco", "samples"));
        Assert.Equal(2, EstimatorRegistry.Find("vimco")!.Parameters.Single(p => p.Name == "samples").Minimum);
        Assert.Equal((100, 0, 0.01), (Default("nvil", "hidden"), Default("nvil", "normalise"), Default("nvil", "tuningRate")));
    }

    private static double Default(string estimator, string parameter) =>
        EstimatorRegistry.Find(estimator)!.Parameters.Single(p => p.Name == parameter).Default;

    /// <summary>An estimator built through the registry from "name=value;name=value", disposed when it owns state.</summary>
    internal static Built Build(string estimator, LatentDistribution distribution, string parameters)
    {
        var given = parameters.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('='))
            .ToDictionary(pair => pair[0], pair => double.Parse(pair[1], System.Globalization.CultureInfo.InvariantCulture));
        return new Built(EstimatorRegistry.Find(estimator)!.Build(distribution, given));
    }

    internal sealed record Built(IGradientEstimator Estimator) : IDisposable
    {
        public void Dispose() => (Estimator as IDisposable)?.Dispose();
    }
}

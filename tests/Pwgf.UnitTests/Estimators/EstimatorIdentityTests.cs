using Pwgf.Estimators;
using Pwgf.Estimators.Families;
using Pwgf.Estimators.Objectives;
using Pwgf.UnitTests.Support;
using Xunit.Abstractions;
using static Pwgf.Estimators.Families.LatentDistribution;

namespace Pwgf.UnitTests.Estimators;

/// <summary>
/// Which settings the comparison summary may call one estimator (EstimatorIdentities): the identities expected here are
/// written down from docs/pwgf.md, and every identity the code declares over a grid of settings is checked against the
/// two implementations' gradients, sample by sample, from the same random stream.
/// </summary>
public sealed class EstimatorIdentityTests(ITestOutputHelper output)
{
    /// <summary>Two classes, where the categorical W2 rule is the Bernoulli one (docs/pwgf.md 4.3).</summary>
    private static readonly ConformanceProblem[] TwoClassProblems =
    [
        new("categorical-two-power3", Categorical, [0.4, -0.9, 1.3, 0.2, -2.0, 0.5], 3, 2, new PowerObjective(0.6, 3, Reduction.Sum)),
        new("categorical-two-linear", Categorical, [0.4, -0.9, 1.3, 0.2, -2.0, 0.5], 3, 2, new LinearSquareObjective([1.5, -1, 0.4], 0.3)),
    ];

    private static IEnumerable<ConformanceProblem> Problems => ConformanceProblems.All.Concat(TwoClassProblems);

    /// <summary>Defaults of every registry estimator plus the settings the identities are about.</summary>
    private static readonly EstimatorSettings[] Variants =
    [
        Of("pwgf", choices: ("projection", "mean")),
        Of("pwgf", ("preconditioned", 1)),
        Of("pwgf", ("preconditioned", 1), ("projection", "mean")),
        Of("leg", ("truncation", 8)),
        Of("reinmax", ("temperature", 1.3)),
        Of("arms", ("samples", 2)),
        Of("gumbel-rao", ("draws", 1)),
    ];

    [Theory]
    [InlineData(Bernoulli, 1)]
    [InlineData(Categorical, 3)]
    [InlineData(Categorical, 2)]
    [InlineData(Poisson, 1)]
    public void The_mean_projection_is_straight_through_on_every_family(LatentDistribution distribution, int classes)
    {
        Assert.True(EstimatorIdentities.Same(Of("st"), Of("pwgf", choices: ("projection", "mean")), distribution, classes));
        Assert.True(EstimatorIdentities.Same(Of("st"), Of("pwgf", ("preconditioned", 1), ("projection", "mean")), distribution, classes));
        Assert.False(EstimatorIdentities.Same(Of("st"), Of("pwgf"), distribution, classes));
    }

    [Fact]
    public void The_w2_rule_is_reinmax_at_temperature_one_only_where_the_derivation_says_so()
    {
        Assert.True(EstimatorIdentities.Same(Of("pwgf"), Of("reinmax"), Bernoulli, 1));
        Assert.True(EstimatorIdentities.Same(Of("pwgf", choices: ("projection", "w2")), Of("reinmax", ("temperature", 1)), Bernoulli, 1));
        Assert.True(EstimatorIdentities.Same(Of("pwgf"), Of("reinmax"), Categorical, 2));

        // Above temperature 1 ReinMax leaves the rule; with three or more classes the rules differ per sample; an
        // unknown number of classes declares nothing.
        Assert.False(EstimatorIdentities.Same(Of("pwgf"), Of("reinmax", ("temperature", 1.3)), Bernoulli, 1));
        Assert.False(EstimatorIdentities.Same(Of("pwgf"), Of("reinmax"), Categorical, 3));
        Assert.False(EstimatorIdentities.Same(Of("pwgf"), Of("reinmax"), Categorical, 0));
    }

    [Fact]
    public void A_parameter_the_family_never_reads_does_not_make_another_estimator()
    {
        Assert.True(EstimatorIdentities.Same(Of("pwgf"), Of("pwgf", ("preconditioned", 1)), Bernoulli, 1));
        Assert.True(EstimatorIdentities.Same(Of("pwgf"), Of("pwgf", ("preconditioned", 1)), Categorical, 4));
        Assert.False(EstimatorIdentities.Same(Of("pwgf"), Of("pwgf", ("preconditioned", 1)), Poisson, 1));
        Assert.True(EstimatorIdentities.Same(Of("leg"), Of("leg", ("truncation", 8)), Categorical, 4));
        Assert.False(EstimatorIdentities.Same(Of("leg"), Of("leg", ("truncation", 8)), Poisson, 1));
    }

    [Fact]
    public void Estimators_that_agree_only_in_distribution_are_not_declared_the_same()
    {
        // arms with two samples is DisARM, and gumbel-rao with one draw has ST-Gumbel-softmax's distribution, but each
        // draws its noise its own way, so the same random stream gives different estimates.
        Assert.False(EstimatorIdentities.Same(Of("arms", ("samples", 2)), Of("disarm"), Bernoulli, 1));
        Assert.False(EstimatorIdentities.Same(Of("gumbel-rao", ("draws", 1)), Of("st-gumbel-softmax"), Categorical, 3));
    }

    [Fact]
    public void A_list_names_every_other_setting_of_the_same_estimator_and_why()
    {
        var same = EstimatorIdentities.Among(
            [Of("st"), Of("pwgf"), Of("pwgf", choices: ("projection", "mean")), Of("reinmax"), Of("disarm")], Bernoulli, 1);

        Assert.Equal([2], same[0].Others);
        Assert.Equal([3], same[1].Others);
        Assert.Equal([0], same[2].Others);
        Assert.Equal([1], same[3].Others);
        Assert.Empty(same[4].Others);
        Assert.Null(same[4].Reason);
        Assert.Contains("straight-through", same[0].Reason);
        Assert.Equal(same[0].Reason, same[2].Reason);
        Assert.Contains("ReinMax at temperature 1", same[1].Reason);
    }

    [Fact]
    public void Every_declared_identity_gives_the_same_gradient_sample_by_sample()
    {
        int checkedPairs = 0;
        foreach (var problem in Problems)
        {
            var settings = EstimatorRegistry.All
                .Where(d => d.AppliesTo(problem.Distribution) && d.Name != "exact")
                .Select(d => Of(d.Name))
                .Concat(Variants.Where(v => EstimatorRegistry.Find(v.Name)!.AppliesTo(problem.Distribution)))
                .ToList();
            int classes = problem.Distribution == Categorical ? problem.Classes : 1;
            var same = EstimatorIdentities.Among(settings, problem.Distribution, classes);
            for (int i = 0; i < settings.Count; i++)
            {
                foreach (int j in same[i].Others.Where(j => j > i))
                {
                    var first = Gradients(settings[i], problem);
                    var second = Gradients(settings[j], problem);
                    double largest = first.Zip(second).Max(rows => rows.First.Zip(rows.Second).Max(x => Math.Abs(x.First - x.Second)));
                    output.WriteLine($"{problem.Key}: {Describe(settings[i])} = {Describe(settings[j])}, largest per-sample gap {largest:G3}");
                    Assert.True(largest <= 1e-10, $"{problem.Key}: {Describe(settings[i])} and {Describe(settings[j])} differ by {largest:G3}");
                    checkedPairs++;
                }
            }
        }
        // st = pwgf(mean) twice over and the preconditioned/truncation variants on every problem, pwgf = reinmax on
        // the Bernoulli and two-class ones: the grid must exercise every identity.
        Assert.True(checkedPairs >= Problems.Count() * 3, $"only {checkedPairs} declared pairs were checked");
    }

    [Fact]
    public void The_checked_grid_does_tell_different_estimators_apart()
    {
        // The per-sample comparison of the test above would catch an identity that is false: pwgf and reinmax on three
        // classes, and the W2 rule against straight-through, differ on the same samples.
        var problem = ConformanceProblems.Get("categorical-a-power");
        double Gap(EstimatorSettings a, EstimatorSettings b) =>
            Gradients(a, problem).Zip(Gradients(b, problem)).Max(rows => rows.First.Zip(rows.Second).Max(x => Math.Abs(x.First - x.Second)));
        Assert.True(Gap(Of("pwgf"), Of("reinmax")) > 1e-3);
        Assert.True(Gap(Of("pwgf"), Of("st")) > 1e-3);
    }

    private static double[][] Gradients(EstimatorSettings settings, ConformanceProblem problem)
    {
        var estimator = EstimatorRegistry.Find(settings.Name)!.Build(problem.Distribution, settings.Parameters, settings.Choices);
        return GradientSampling.PerSample(estimator, problem.Point, problem.Objective, 400, 23, problem.Classes);
    }

    private static EstimatorSettings Of(string name, params (string Name, double Value)[] numbers) =>
        new(name, numbers.ToDictionary(n => n.Name, n => n.Value));

    private static EstimatorSettings Of(string name, (string Name, string Value) choices) =>
        new(name, new Dictionary<string, double>(), new Dictionary<string, string> { [choices.Name] = choices.Value });

    private static EstimatorSettings Of(string name, (string Name, double Value) number, (string Name, string Value) choices) =>
        new(name, new Dictionary<string, double> { [number.Name] = number.Value }, new Dictionary<string, string> { [choices.Name] = choices.Value });

    private static string Describe(EstimatorSettings s) =>
        s.Name + string.Concat(s.Parameters.Select(p => $" {p.Key}={p.Value}")) + string.Concat((s.Choices ?? new Dictionary<string, string>()).Select(c => $" {c.Key}={c.Value}"));
}

using Pwgf.Estimators.Families;
using Pwgf.UnitTests.Support;
using static Pwgf.Estimators.Families.LatentDistribution;

namespace Pwgf.UnitTests.Estimators;

/// <summary>One setting of an estimator's parameters under test; <paramref name="Only"/> limits it to some families.</summary>
public sealed record EstimatorSetting(
    string Label,
    IReadOnlyDictionary<string, double> Numbers,
    IReadOnlyDictionary<string, string> Choices,
    IReadOnlyList<LatentDistribution>? Only = null)
{
    public static EstimatorSetting Defaults { get; } = new("defaults", new Dictionary<string, double>(), new Dictionary<string, string>());

    public double Number(string name) => Numbers[name];

    public string Choice(string name) => Choices[name];

    public override string ToString() => Label;
}

/// <summary>
/// What the suite expects of one estimator name, written down here and never read from the registry. An estimator
/// that <paramref name="TrainsBound"/> (vimco) trains a model's multi-sample bound instead of E f: the conformance
/// problems have no data x to weigh samples by, so it is checked on <see cref="MultiSampleBoundTests"/>' problems
/// against the exact gradient of its bound, and <paramref name="Reference"/> names that kind of reference.
/// </summary>
public sealed record PinnedEstimator(
    string Name,
    bool Unbiased,
    IReadOnlyList<LatentDistribution> Families,
    ExpectationReference Reference,
    IReadOnlyList<EstimatorSetting> Settings,
    bool QuadraticObjectivesOnly = false,
    Func<LatentDistribution, EstimatorSetting, CoordinateRule>? Rule = null,
    int Samples = 100_000,
    bool TrainsBound = false);

/// <summary>
/// The estimators the service must offer, whether each is unbiased, where each applies, and how its expected gradient
/// is computed independently of its implementation. An estimator added to the registry without a row here fails
/// <see cref="ConformanceTests"/>. Settings are away from the defaults where an estimator has parameters.
/// </summary>
public static class PinnedEstimators
{
    private static readonly LatentDistribution[] All = [Bernoulli, Categorical, Poisson];

    public static IReadOnlyList<PinnedEstimator> Table { get; } =
    [
        new("reinforce", true, All, ExpectationReferences.Exact, [EstimatorSetting.Defaults]),
        new("reinforce-loo", true, All, ExpectationReferences.Exact, [Numbers("samples=3", ("samples", 3))]),
        new("arm", true, [Bernoulli], ExpectationReferences.Exact, [EstimatorSetting.Defaults]),
        new("disarm", true, [Bernoulli, Categorical], ExpectationReferences.Exact, [EstimatorSetting.Defaults]),
        new("arms", true, [Bernoulli], ExpectationReferences.Exact,
            [Numbers("samples=3", ("samples", 3)), Numbers("samples=6", ("samples", 6))], Samples: 60_000),
        new("nvil", true, All, ExpectationReferences.Exact, [Numbers("normalise=1,hidden=7", ("normalise", 1), ("hidden", 7))]),
        new("muprop", true, [Bernoulli, Categorical], ExpectationReferences.Exact, [EstimatorSetting.Defaults]),
        new("leg", true, All, ExpectationReferences.Exact,
            [
                new("defaults", new Dictionary<string, double>(), new Dictionary<string, string>(), [Bernoulli, Categorical]),
                new("truncation=3", new Dictionary<string, double> { ["truncation"] = 3 }, new Dictionary<string, string>(), [Poisson]),
            ], Samples: 20_000),
        new("unordered-set", true, [Categorical], ExpectationReferences.Exact,
            [Numbers("samples=3", ("samples", 3)), Numbers("samples=5", ("samples", 5))], Samples: 40_000),
        new("rebar", true, [Bernoulli, Categorical], ExpectationReferences.Exact,
            [Numbers("temperature=0.7,scale=0.6", ("temperature", 0.7), ("scale", 0.6))]),
        new("relax", true, [Bernoulli, Categorical], ExpectationReferences.Exact,
            [Numbers("temperature=0.7,scale=0.6,hidden=4", ("temperature", 0.7), ("scale", 0.6), ("hidden", 4))]),
        new("exact-diff", true, [Poisson], ExpectationReferences.Exact, [EstimatorSetting.Defaults]),
        new("vimco", true, All, ExpectationReferences.Exact,
            [Numbers("samples=3", ("samples", 3)), Numbers("samples=2", ("samples", 2))], TrainsBound: true),
        new("exact", true, All, ExpectationReferences.Exact, [EstimatorSetting.Defaults], Samples: 100), // no noise at all

        Ruled("st", All, (family, _) => PublishedRules.StraightThrough(family), [EstimatorSetting.Defaults]),
        Ruled("pwgf", All,
            (family, setting) => setting.Choices.GetValueOrDefault("projection") == "mean"
                ? PublishedRules.StraightThrough(family)
                : PublishedRules.WassersteinProjection(family, setting.Numbers.GetValueOrDefault("preconditioned") == 1),
            [
                EstimatorSetting.Defaults,
                new("projection=mean", new Dictionary<string, double>(), new Dictionary<string, string> { ["projection"] = "mean" }),
                new("preconditioned", new Dictionary<string, double> { ["preconditioned"] = 1 }, new Dictionary<string, string>(), [Poisson]),
            ]),
        Ruled("reinmax", [Bernoulli, Categorical], (family, setting) => PublishedRules.ReinMax(family, setting.Number("temperature")),
            [Numbers("temperature=1", ("temperature", 1)), Numbers("temperature=1.5", ("temperature", 1.5))]),
        Ruled("gst", [Categorical],
            (_, setting) => PublishedRules.GappedStraightThrough(setting.Number("gap"), setting.Number("temperature"), adaptive: false),
            [Numbers("gap=0.6,temperature=0.8", ("gap", 0.6), ("temperature", 0.8)), Numbers("gap=2.5,temperature=1.5", ("gap", 2.5), ("temperature", 1.5))]),
        Ruled("gst-p", [Categorical], (_, setting) => PublishedRules.GappedStraightThrough(0, setting.Number("temperature"), adaptive: true),
            [Numbers("temperature=1.3", ("temperature", 1.3))]),

        new("st-gumbel-softmax", false, [Bernoulli, Categorical], ExpectationReferences.StraightThroughGumbel,
            [Numbers("temperature=0.8", ("temperature", 0.8))]),
        new("gumbel-rao", false, [Categorical], ExpectationReferences.StraightThroughGumbel,
            [Numbers("temperature=0.9,draws=4", ("temperature", 0.9), ("draws", 4))]),
        new("gumbel-softmax", false, [Bernoulli, Categorical], ExpectationReferences.GumbelSoftmax,
            [Numbers("temperature=0.7", ("temperature", 0.7))], QuadraticObjectivesOnly: true),
        new("eat", false, [Poisson], ExpectationReferences.ExponentialArrivals,
            [Numbers("temperature=0.3,arrivals=16", ("temperature", 0.3), ("arrivals", 16))], QuadraticObjectivesOnly: true),
        new("st-eat", false, [Poisson], ExpectationReferences.StraightThroughArrivals,
            [Numbers("temperature=0.25", ("temperature", 0.25))], QuadraticObjectivesOnly: true),
        new("gengs", false, [Poisson], ExpectationReferences.GeneralizedGumbelSoftmax,
            [Numbers("temperature=0.4,truncation=2", ("temperature", 0.4), ("truncation", 2))], QuadraticObjectivesOnly: true),
    ];

    public static PinnedEstimator Get(string name) => Table.Single(e => e.Name == name);

    /// <summary>The estimators of E f, which the conformance problems check (those that train a bound have their own).</summary>
    public static IEnumerable<PinnedEstimator> OfExpectations => Table.Where(e => !e.TrainsBound);

    /// <summary>Every (estimator, setting, problem) the expectation check runs, from this table alone.</summary>
    public static IEnumerable<(PinnedEstimator Estimator, EstimatorSetting Setting, ConformanceProblem Problem)> Cases() =>
        from estimator in OfExpectations
        from setting in estimator.Settings
        from problem in ConformanceProblems.All
        where estimator.Families.Contains(problem.Distribution)
              && (setting.Only?.Contains(problem.Distribution) ?? true)
              && (!estimator.QuadraticObjectivesOnly || ExpectationReferences.Quadratic(problem))
        select (estimator, setting, problem);

    /// <summary>
    /// An estimator whose estimate the sample determines: checked sample by sample against the rule, so its mean check
    /// only has to catch a wrong sampling distribution and can use fewer samples.
    /// </summary>
    private static PinnedEstimator Ruled(
        string name, LatentDistribution[] families, Func<LatentDistribution, EstimatorSetting, CoordinateRule> rule, EstimatorSetting[] settings) =>
        new(name, false, families, ExpectationReferences.Enumerated(rule), settings, Rule: rule, Samples: 40_000);

    private static EstimatorSetting Numbers(string label, params (string Name, double Value)[] values) =>
        new(label, values.ToDictionary(v => v.Name, v => v.Value), new Dictionary<string, string>());
}

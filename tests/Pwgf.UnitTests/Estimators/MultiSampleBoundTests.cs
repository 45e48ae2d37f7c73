using Pwgf.Estimators;
using Pwgf.Estimators.Families;
using Pwgf.Estimators.Objectives;
using Pwgf.Estimators.ScoreFunction;
using Pwgf.UnitTests.Support;
using static TorchSharp.torch;

namespace Pwgf.UnitTests.Estimators;

/// <summary>
/// A latent-variable model small enough to enumerate every K-tuple of samples: log p(x, z) = -f(z) for a fixed f (the
/// data x folded into it), and q(z | x) the family at <paramref name="Point"/>, whose gradient is the encoder's.
/// </summary>
public sealed record BoundProblem(string Key, LatentDistribution Distribution, double[] Point, int Dims, int Classes, IObjective NegativeLogJoint)
{
    public LatentFamily Family => LatentFamily.Of(Distribution);

    public override string ToString() => Key;
}

/// <summary>
/// vimco, which trains the K-sample bound L_K = log (1/K) sum_k w_k instead of E f: the mean gradient of its surrogate
/// (-L_K, a loss) against the exact gradient of -E[L_K], computed by differentiating the sum over every K-tuple of joint states with log q written out
/// here; its leave-one-out learning signals against numbers worked out by hand; its value, cost and refusal of
/// objectives without importance weights. Settings come from the pinned table, never from the registry.
/// </summary>
public sealed class MultiSampleBoundTests
{
    private const double Tolerance = 5; // standard errors
    private const int Samples = 100_000;

    /// <summary>Three problems per family; the Poisson rates are small so that K-tuples of counts stay few.</summary>
    public static IReadOnlyList<BoundProblem> Problems { get; } =
    [
        new("bernoulli-power", LatentDistribution.Bernoulli, [-1.2, 0.3, 2.0], 3, 0, new PowerObjective(0.45, 2, Reduction.Sum)),
        new("bernoulli-linear", LatentDistribution.Bernoulli, [0.8, -0.4, 0.0], 3, 0, new LinearSquareObjective([1, -2, 0.5], 0.7)),
        new("bernoulli-wide", LatentDistribution.Bernoulli, [2.5, -1.5], 2, 0, new LinearSquareObjective([3, 2], -1)),
        new("categorical-power", LatentDistribution.Categorical, [0.5, -0.3, 0.1, -1, 0.2, 0.8], 2, 3, new PowerObjective(1.2, 2, Reduction.Sum)),
        new("categorical-linear", LatentDistribution.Categorical, [1.5, 0, -0.5, -0.4, 0.3, 0.3, -0.2, 1.0], 2, 4, new LinearSquareObjective([0.7, 0.7], 2)),
        new("categorical-one", LatentDistribution.Categorical, [-0.5, 1.0, 0.2, -2.0, 0.6], 1, 5, new PowerObjective(3.5, 1.5, Reduction.Sum)),
        new("poisson-power", LatentDistribution.Poisson, [0.3], 1, 0, new PowerObjective(2.3, 2, Reduction.Sum)),
        new("poisson-linear", LatentDistribution.Poisson, [-0.5], 1, 0, new LinearSquareObjective([1.5], 1)),
        new("poisson-pair", LatentDistribution.Poisson, [-2.0, -1.5], 2, 0, new LinearSquareObjective([1, -1], 0.5)),
    ];

    /// <summary>Every setting of vimco in the pinned table on every bound problem of its families.</summary>
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var estimator in PinnedEstimators.Table.Where(e => e.TrainsBound))
            foreach (var setting in estimator.Settings)
                foreach (var problem in Problems.Where(p => estimator.Families.Contains(p.Distribution)))
                    data.Add(setting.Label, problem.Key);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_mean_vimco_gradient_is_the_exact_gradient_of_the_expected_bound(string setting, string problemKey)
    {
        var problem = Problems.Single(p => p.Key == problemKey);
        var chosen = PinnedEstimators.Get("vimco").Settings.Single(s => s.Label == setting);
        int k = (int)chosen.Number("samples");
        var estimator = EstimatorRegistry.Find("vimco")!.Build(problem.Distribution, chosen.Numbers);
        var model = new EnumerableModel(problem.NegativeLogJoint);

        ulong seed = (ulong)$"vimco/{setting}/{problemKey}".Sum(c => c * 131);
        var summary = GradientSampling.Sample(estimator, problem.Point, model, Samples, seed, problem.Classes);
        var exact = ExactBoundGradient(problem, k);

        GradientSampling.AssertWithin(summary, exact, Tolerance, $"vimco({setting}) on {problemKey}", slack: 1e-9);
        // The check has the power to tell the bound from the ELBO (K = 1), which an estimator of E f would follow.
        var elbo = ExactBoundGradient(problem, 1);
        Assert.Contains(Enumerable.Range(0, exact.Length),
            i => Math.Abs(exact[i] - elbo[i]) > 2 * Tolerance * summary.StandardError[i]);
    }

    [Fact]
    public void The_leave_one_out_signals_replace_each_weight_by_the_geometric_mean_of_the_others()
    {
        // Example 1 (K = 2): w = (1, 3). L = log 2; the left-out weight becomes the other one, so
        // s_1 = log 2 - log 3 and s_2 = log 2 - log 1.
        // Example 2 (K = 3): log w = (0, 1, -2), written with exp and log directly.
        using var scope = NewDisposeScope();
        var pair = ImportanceWeightedLeaveOneOut.LearningSignals(tensor(new[] { 0, Math.Log(3) }, float64).reshape(2, 1));
        Assert.Equal(Math.Log(2) - Math.Log(3), pair[0, 0].item<double>(), 1e-12);
        Assert.Equal(Math.Log(2), pair[1, 0].item<double>(), 1e-12);

        double[] log = [0, 1, -2];
        double bound = Math.Log((Math.Exp(0) + Math.Exp(1) + Math.Exp(-2)) / 3);
        double[] expected =
        [
            bound - Math.Log((Math.Exp(1) + Math.Exp(-2) + Math.Exp((1 - 2) / 2.0)) / 3),
            bound - Math.Log((Math.Exp(0) + Math.Exp(-2) + Math.Exp((0 - 2) / 2.0)) / 3),
            bound - Math.Log((Math.Exp(0) + Math.Exp(1) + Math.Exp((0 + 1) / 2.0)) / 3),
        ];
        // Two examples side by side ([K, batch]): the second column is the first shifted by 800, which the signals
        // ignore (a common factor of every weight cancels) and which would overflow exp in plain arithmetic.
        var signals = ImportanceWeightedLeaveOneOut.LearningSignals(
            tensor(log.SelectMany(l => new[] { l, l + 800 }).ToArray(), float64).reshape(3, 2));
        for (int k = 0; k < 3; k++)
        {
            Assert.Equal(expected[k], signals[k, 0].item<double>(), 1e-12);
            Assert.Equal(expected[k], signals[k, 1].item<double>(), 1e-9);
        }
    }

    [Fact]
    public void The_surrogate_value_is_the_negated_bound_and_costs_k_evaluations()
    {
        var problem = Problems.Single(p => p.Key == "categorical-power");
        const int k = 4, draws = 40_000;
        var estimator = EstimatorRegistry.Find("vimco")!.Build(problem.Distribution, new Dictionary<string, double> { ["samples"] = k });
        var model = new EnumerableModel(problem.NegativeLogJoint);
        using var scope = NewDisposeScope();
        using var generator = new Generator(2016);
        var rows = tensor(problem.Point, float64).reshape(problem.Dims, problem.Classes).unsqueeze(0)
            .expand(draws, problem.Dims, problem.Classes);

        var values = estimator.Surrogate(rows, model, generator);                                // [draws]

        Assert.Equal(k, estimator.EvaluationsPerExample(problem.Dims, problem.Classes));
        Assert.Equal((long)k * draws, model.Rows);
        double mean = values.mean().item<double>(), standardError = values.std().item<double>() / Math.Sqrt(draws);
        double expected = -ExpectedBound(problem, k).item<double>();
        Assert.True(Math.Abs(mean - expected) <= Tolerance * standardError, $"mean value {mean:G6} vs -E[L_K] {expected:G6} (se {standardError:G3})");
    }

    [Fact]
    public void An_objective_without_importance_weights_is_refused()
    {
        var problem = ConformanceProblems.Get("bernoulli-a-power");
        var estimator = EstimatorRegistry.Find("vimco")!.Build(problem.Distribution, new Dictionary<string, double>());
        using var scope = NewDisposeScope();
        var rows = tensor(problem.Point, float64).unsqueeze(0);

        var refusal = Assert.Throws<ArgumentException>(() => estimator.Surrogate(rows, problem.Objective, null));
        Assert.Contains("importance weights", refusal.Message);
    }

    /// <summary>
    /// The gradient of -E[L_K] (the surrogate is a loss to minimise) with respect to the point, by differentiating the
    /// sum over every K-tuple.
    /// </summary>
    private static double[] ExactBoundGradient(BoundProblem problem, int k)
    {
        using var scope = NewDisposeScope();
        var leaf = tensor(problem.Point, float64).requires_grad_(true);
        return autograd.grad([-ExpectedBound(problem, k, leaf)], [leaf])[0].data<double>().ToArray();
    }

    /// <summary>
    /// E[L_K] = sum over K-tuples of joint states of prod_k q(z_k) log (1/K) sum_k w_k, with w = exp(-f(z)) / q(z),
    /// differentiable in <paramref name="leaf"/> (the point when none is given). States come from
    /// <see cref="Enumeration.States"/> (Poisson tails below 1e-13 left out).
    /// </summary>
    private static Tensor ExpectedBound(BoundProblem problem, int k, Tensor? leaf = null)
    {
        leaf ??= tensor(problem.Point, float64);
        var (states, _) = Enumeration.States(problem.Family, problem.Point, problem.Dims, problem.Classes);   // [S, dims(, C)]
        long count = states.shape[0];
        var parameters = (problem.Classes > 0 ? leaf.reshape(problem.Dims, problem.Classes) : leaf).unsqueeze(0).expand(states.shape);
        var logQ = EnumerableModel.LogQ(problem.Distribution, states, parameters);                         // [S]
        var logWeight = -problem.NegativeLogJoint.Evaluate(problem.Family, states) - logQ;                  // [S]

        long tuples = (long)Math.Pow(count, k);
        var digits = new long[tuples * k];
        for (long t = 0; t < tuples; t++)
        {
            for (long j = 0, rest = t; j < k; j++, rest /= count) digits[t * k + j] = rest % count;
        }
        var index = tensor(digits);                                                                         // [T K]
        var logMass = logQ.index_select(0, index).reshape(tuples, k).sum(1, keepdim: false);                             // [T]
        var bound = logWeight.index_select(0, index).reshape(tuples, k).logsumexp(1) - Math.Log(k);         // [T]
        return (logMass.exp() * bound).sum();
    }

    /// <summary>
    /// The enumerable model as the estimator sees it: f(z) = -log p(x, z), and log w = -f(z) - log q(z), with q's mass
    /// written out here (not the library's families). Counts the rows f is evaluated on.
    /// </summary>
    private sealed class EnumerableModel(IObjective negativeLogJoint) : IImportanceWeightedObjective
    {
        public long Rows { get; private set; }

        public Tensor Evaluate(LatentFamily family, Tensor sample)
        {
            var value = negativeLogJoint.Evaluate(family, sample);
            Rows += value.shape[0];
            return value;
        }

        public Tensor LogWeight(LatentFamily family, Tensor sample, Tensor parameters) =>
            -Evaluate(family, sample) - LogQ(family.Distribution, sample, parameters);

        /// <summary>Bernoulli z log sigma(l) + (1 - z) log sigma(-l); categorical log_softmax at the class; Poisson z eta - e^eta - log z!.</summary>
        public static Tensor LogQ(LatentDistribution distribution, Tensor sample, Tensor parameters) => distribution switch
        {
            LatentDistribution.Bernoulli =>
                (sample * nn.functional.logsigmoid(parameters) + (1 - sample) * nn.functional.logsigmoid(-parameters)).sum(-1),
            LatentDistribution.Categorical => (sample * parameters.log_softmax(-1)).sum([-2, -1]),
            _ => (sample * parameters - parameters.exp() - (sample + 1).lgamma()).sum(-1),
        };
    }
}

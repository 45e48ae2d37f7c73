using Pwgf.Estimators;
using Pwgf.Estimators.Families;
using Pwgf.Estimators.Objectives;
using Pwgf.Estimators.ScoreFunction;
using Pwgf.UnitTests.Support;
using static TorchSharp.torch;

namespace Pwgf.UnitTests.Estimators;

/// <summary>
/// NVIL's learned baseline and the categorical REBAR and RELAX control variates after online tuning: still unbiased
/// (NVIL: for the gradient divided by its normaliser), lower variance, and restored exactly from a checkpoint.
/// </summary>
public sealed class SelfTuningEstimatorTests
{
    private const double Tolerance = 5; // standard errors

    [Theory]
    [InlineData("bernoulli-a-linear", "normalise=1")]
    [InlineData("bernoulli-b-power3", "")]
    [InlineData("bernoulli-a-power", "tuningRate=0.1")]
    [InlineData("categorical-a-power", "normalise=1")]
    [InlineData("categorical-b-linear", "tuningRate=0.1")]
    [InlineData("categorical-a-linear", "")]
    [InlineData("poisson-a-linear", "normalise=1")]
    [InlineData("poisson-b-power", "")]
    [InlineData("poisson-b-linear", "tuningRate=0.1")]
    public void Tuned_nvil_is_unbiased_for_the_gradient_over_its_normaliser_and_has_less_variance(string problemKey, string parameters)
    {
        var problem = ConformanceProblems.Get(problemKey);
        var exact = EstimatorTestReferences.ExactByEnumeration(problem);
        using var built = EstimatorPropertyTests.Build("nvil", problem.Distribution, parameters);
        var nvil = (LearnedBaseline)built.Estimator;
        var before = GradientSampling.Sample(nvil, problem.Point, problem.Objective, 50_000, 1901, problem.Classes);

        Train(nvil, problem, problem.Objective, steps: 300, batch: 32, seed: 1902);
        var after = GradientSampling.Sample(nvil, problem.Point, problem.Objective, 100_000, 1903, problem.Classes);

        Assert.NotEqual(0, nvil.SignalMean);
        EstimatorTestReferences.AssertWithin(after, [.. exact.Select(g => g / nvil.Normaliser)], Tolerance, $"tuned nvil on {problemKey}");
        Assert.True(after.Variance.Sum() * nvil.Normaliser * nvil.Normaliser < before.Variance.Sum(),
            $"variance {before.Variance.Sum():G4} -> {after.Variance.Sum():G4} (normaliser {nvil.Normaliser:G4})");
    }

    [Fact]
    public void Nvil_divides_by_the_running_standard_deviation_once_it_exceeds_one()
    {
        // f = 10 (sum_i w_i z_i - T)^2 has a learning signal with variance well above 1.
        var problem = ConformanceProblems.Get("bernoulli-b-linear");
        var scaled = new ScaledObjective(problem.Objective, 10);
        using var built = EstimatorPropertyTests.Build("nvil", problem.Distribution, "normalise=1");
        var nvil = (LearnedBaseline)built.Estimator;

        Train(nvil, problem, scaled, steps: 100, batch: 32, seed: 1904);

        Assert.True(nvil.SignalVariance > 1, $"v = {nvil.SignalVariance}");
        Assert.Equal(Math.Sqrt(nvil.SignalVariance), nvil.Normaliser, 12);
        var exact = EstimatorTestReferences.ExactByEnumeration(problem).Select(g => 10 * g / nvil.Normaliser).ToArray();
        EstimatorTestReferences.AssertWithin(GradientSampling.Sample(nvil, problem.Point, scaled, 100_000, 1905), exact, Tolerance, "normalised nvil");
    }

    [Theory]
    [InlineData("bernoulli-a-linear")]
    [InlineData("categorical-b-power")]
    [InlineData("poisson-a-power")]
    public void With_a_context_nvil_learns_a_network_of_it_and_stays_unbiased(string problemKey)
    {
        // Random inputs per example, as images are to a VAE's encoder: the network of them must not bias the estimate.
        var problem = ConformanceProblems.Get(problemKey);
        var exact = EstimatorTestReferences.ExactByEnumeration(problem);
        using var built = EstimatorPropertyTests.Build("nvil", problem.Distribution, "hidden=8;tuningRate=0.02");
        var nvil = (LearnedBaseline)built.Estimator;

        Train(nvil, problem, new ContextObjective(problem.Objective, features: 5, seed: 1906).For(64), steps: 300, batch: 64, seed: 1907);
        var summary = GradientSampling.Sample(nvil, problem.Point, new ContextObjective(problem.Objective, features: 5, seed: 1908).For(100_000), 100_000, 1909, problem.Classes);

        EstimatorTestReferences.AssertWithin(summary, [.. exact.Select(g => g / nvil.Normaliser)], Tolerance, $"nvil with a context on {problemKey}");
        Assert.Throws<InvalidOperationException>(() =>
            GradientSampling.Sample(nvil, problem.Point, problem.Objective, 4, 1910, problem.Classes)); // built for inputs
    }

    [Theory]
    [InlineData("rebar", "categorical-a-linear")]
    [InlineData("relax", "categorical-b-power")]
    [InlineData("rebar", "categorical-b-linear")]
    public void Categorical_rebar_and_relax_tune_their_control_variate_without_becoming_biased(string estimator, string problemKey)
    {
        var problem = ConformanceProblems.Get(problemKey);
        var exact = EstimatorTestReferences.ExactByEnumeration(problem);
        using var built = EstimatorPropertyTests.Build(estimator, problem.Distribution, "tuningRate=0.05");
        var tuned = (ISelfTuningEstimator)built.Estimator;
        var before = GradientSampling.Sample(tuned, problem.Point, problem.Objective, 60_000, 1911, problem.Classes);

        Train(tuned, problem, problem.Objective, steps: 300, batch: 64, seed: 1912);
        var after = GradientSampling.Sample(tuned, problem.Point, problem.Objective, 60_000, 1913, problem.Classes);

        EstimatorTestReferences.AssertWithin(after, exact, Tolerance, $"tuned {estimator} on {problemKey}");
        Assert.True(after.Variance.Sum() < before.Variance.Sum(), $"variance {before.Variance.Sum():G4} -> {after.Variance.Sum():G4}");
    }

    [Theory]
    [InlineData("nvil", "poisson-a-linear", false)]
    [InlineData("nvil", "bernoulli-a-power", true)]
    [InlineData("rebar", "categorical-a-power", false)]
    [InlineData("relax", "categorical-b-linear", false)]
    public void A_tuned_estimator_saved_and_loaded_gives_the_same_estimates_and_tunes_on_identically(string estimator, string problemKey, bool withContext)
    {
        var problem = ConformanceProblems.Get(problemKey);
        IObjective Objective(int rows) => withContext ? new ContextObjective(problem.Objective, 4, 1914).For(rows) : problem.Objective;
        using var original = EstimatorPropertyTests.Build(estimator, problem.Distribution, "tuningRate=0.05");
        using var restored = EstimatorPropertyTests.Build(estimator, problem.Distribution, "tuningRate=0.05");
        var first = (ISelfTuningEstimator)original.Estimator;
        var second = (ISelfTuningEstimator)restored.Estimator;
        Train(first, problem, Objective(16), steps: 20, batch: 16, seed: 1915);

        using (var stream = new MemoryStream())
        {
            using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true)) first.SaveState(writer);
            stream.Position = 0;
            using var reader = new BinaryReader(stream);
            second.LoadState(reader);
        }
        Train(first, problem, Objective(16), steps: 5, batch: 16, seed: 1916);
        Train(second, problem, Objective(16), steps: 5, batch: 16, seed: 1916);

        var a = GradientSampling.Sample(first, problem.Point, Objective(256), 256, 1917, problem.Classes);
        var b = GradientSampling.Sample(second, problem.Point, Objective(256), 256, 1917, problem.Classes);
        Assert.Equal(a.Mean, b.Mean);
        Assert.Equal(a.Variance, b.Variance);
    }

    [Fact]
    public void Nvil_refuses_to_tune_for_a_surrogate_it_did_not_return_last()
    {
        var problem = ConformanceProblems.Get("bernoulli-a-linear");
        using var built = EstimatorPropertyTests.Build("nvil", problem.Distribution, "");
        var nvil = (ISelfTuningEstimator)built.Estimator;
        using var scope = NewDisposeScope();
        using var generator = new Generator(1918);
        var rows = tensor(problem.Point).unsqueeze(0).expand(8, 3).clone().requires_grad_(true);
        var training = nvil.Surrogate(rows, problem.Objective, generator);
        nvil.Surrogate(rows, problem.Objective, generator);

        Assert.Throws<InvalidOperationException>(() => nvil.Tune(training, rows));
    }

    /// <summary>What a training session does each step: surrogate, tune, then the caller's own backward pass.</summary>
    private static void Train(ISelfTuningEstimator estimator, ConformanceProblem problem, IObjective objective, int steps, int batch, ulong seed)
    {
        using var generator = new Generator(seed);
        long[] shape = problem.Classes > 0 ? [batch, problem.Dims, problem.Classes] : [batch, problem.Dims];
        for (int step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            var rows = tensor(problem.Point).reshape(shape[1..]).unsqueeze(0).expand(shape).clone().requires_grad_(true);
            var surrogate = estimator.Surrogate(rows, objective, generator);
            estimator.Tune(surrogate, rows);
            surrogate.mean().backward();
        }
    }

    /// <summary>c f: a learning signal with a large variance.</summary>
    private sealed class ScaledObjective(IExactObjective inner, double factor) : IExactObjective
    {
        public Tensor Evaluate(LatentFamily family, Tensor sample) => factor * inner.Evaluate(family, sample);
        public Tensor Expectation(LatentFamily family, Tensor parameters) => factor * inner.Expectation(family, parameters);
    }

    /// <summary>
    /// The same f with a context of fixed random features per row, as a VAE's images are to its encoder; the rows
    /// of the context follow the rows of the latent parameters, so a context is made for each batch size.
    /// </summary>
    private sealed class ContextObjective(IExactObjective inner, int features, ulong seed, Tensor? context = null) : IExactObjective
    {
        public Tensor? Context => context;

        public ContextObjective For(long rows)
        {
            using var generator = new Generator(seed);
            var values = randn([rows, features], float64, generator: generator);
            values.DetachFromDisposeScope();
            return new ContextObjective(inner, features, seed, values);
        }

        public Tensor Evaluate(LatentFamily family, Tensor sample) => inner.Evaluate(family, sample);

        public Tensor Expectation(LatentFamily family, Tensor parameters) => inner.Expectation(family, parameters);
    }
}

using MathNet.Numerics;
using Pwgf.Estimators;
using Pwgf.Estimators.Families;
using Pwgf.Estimators.Objectives;
using Pwgf.Estimators.Pathwise;
using Pwgf.UnitTests.Support;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Pwgf.UnitTests.Estimators;

/// <summary>
/// eat and gengs at their registry defaults keep the relaxed count's mean within 1% of lambda over every rate a task
/// reaches: poisson-vae bounds log-rates softly to (-5, 5), so lambda in (0.0067, 148.4); poisson-toy starts at
/// lambda = 1 and targets up to 1000 (optimum target - 1/2), and a target near 0 drives lambda towards 0. The means
/// come from deterministic integrals, independent of the implementations.
/// </summary>
public sealed class PoissonRelaxationSizeTests(ITestOutputHelper output)
{
    private const double Allowed = 0.01;

    public static TheoryData<double> Rates => new(1e-4, Math.Exp(-5), 0.05, 0.3, 1, 3.4, 12, 40, Math.Exp(5), 400, 1000);

    [Theory]
    [MemberData(nameof(Rates))]
    public void Eat_keeps_its_relaxed_mean_within_one_percent_of_lambda(double rate)
    {
        double temperature = Default("eat", "temperature");
        Assert.Equal(0, Default("eat", "arrivals")); // automatic: sized from the rate
        int arrivals = ExponentialArrivals.ArrivalsFor(rate, temperature);

        double mean = EatMean(rate, temperature);
        output.WriteLine($"eat, lambda {rate:G4}: n = {arrivals}, relaxed mean / lambda - 1 = {mean / rate - 1:E2}");

        Assert.True(Math.Abs(mean / rate - 1) < Allowed, $"lambda {rate}: n = {arrivals}, relaxed mean {mean:G6} ({mean / rate - 1:+0.0000;-0.0000})");
    }

    [Theory]
    [MemberData(nameof(Rates))]
    public void Gengs_keeps_its_relaxed_mean_within_one_percent_of_lambda(double rate)
    {
        double temperature = Default("gengs", "temperature");
        Assert.Equal(0, Default("gengs", "truncation"));
        int truncation = GeneralizedGumbelSoftmax.TruncationFor(rate);

        var logits = PoissonClassLogits(rate, truncation);
        var weights = GumbelSoftmaxMeans.ClassMeans(logits, temperature);
        double mean = weights.Select((w, k) => w * k).Sum();
        output.WriteLine($"gengs, lambda {rate:G4}: n = {truncation}, relaxed mean / lambda - 1 = {mean / rate - 1:E2}");

        Assert.True(Math.Abs(weights.Sum() - 1) < 1e-6, $"the quadrature lost mass: {weights.Sum()}");
        Assert.True(Math.Abs(mean / rate - 1) < Allowed, $"lambda {rate}: n = {truncation}, relaxed mean {mean:G6} ({mean / rate - 1:+0.0000;-0.0000})");
    }

    [Theory]
    [InlineData("eat", 1.0)]
    [InlineData("eat", 148.4)]
    [InlineData("gengs", 0.05)]
    [InlineData("gengs", 148.4)]
    public void The_implementations_relaxed_mean_is_the_integral(string name, double rate)
    {
        // The forward value of f(z) = sum(z) is the relaxed count; its Monte Carlo mean must match the integral.
        const int samples = 20_000; // eat at lambda = 148 draws about 400 arrivals per sample
        var estimator = EstimatorRegistry.Find(name)!.Build(LatentDistribution.Poisson, new Dictionary<string, double>());
        using var scope = NewDisposeScope();
        using var generator = new Generator(23);
        var rows = full([samples, 1], Math.Log(rate), dtype: float64);
        var relaxed = estimator.Surrogate(rows, new PowerObjective(0, 1, Reduction.Sum), generator);
        double mean = relaxed.mean().item<double>(), standardError = relaxed.std().item<double>() / Math.Sqrt(samples);

        double temperature = Default(name, "temperature");
        double expected = name == "eat"
            ? EatMean(rate, temperature)
            : GumbelSoftmaxMeans.ClassMeans(PoissonClassLogits(rate, GeneralizedGumbelSoftmax.TruncationFor(rate)), temperature).Select((w, k) => w * k).Sum();
        Assert.True(Math.Abs(mean - expected) < 5 * standardError, $"{name} at {rate}: {mean:G6} vs {expected:G6} (se {standardError:G3})");
    }

    /// <summary>
    /// E sum_{k &lt;= n} sigmoid((1 - S_k / lambda) / tau), S_k a Gamma(k) arrival time, with n the automatic size:
    /// int sigmoid((1 - x/lambda)/tau) P(Poisson(x) &lt;= n - 1) dx, since the Gamma(1..n) densities sum to that.
    /// </summary>
    private static double EatMean(double rate, double temperature)
    {
        int arrivals = ExponentialArrivals.ArrivalsFor(rate, temperature);
        double upper = Math.Min(rate * (1 + 40 * temperature), arrivals + 12 * Math.Sqrt(arrivals) + 40);
        return Quadrature.Composite(0, upper, 400, 8)
            .Integrate(x => Logistic((1 - x / rate) / temperature) * SpecialFunctions.GammaUpperRegularized(arrivals, x));
    }

    /// <summary>log P(k) for k = 0..n and the log of the remaining tail mass: GenGS's n + 2 classes.</summary>
    private static double[] PoissonClassLogits(double rate, int truncation)
    {
        var logits = new double[truncation + 2];
        double covered = 0;
        for (int k = 0; k <= truncation; k++)
        {
            logits[k] = k * Math.Log(rate) - rate - SpecialFunctions.GammaLn(k + 1);
            covered += Math.Exp(logits[k]);
        }
        logits[^1] = Math.Log(Math.Max(1 - covered, 1e-300));
        return logits;
    }

    private static double Default(string estimator, string parameter) =>
        EstimatorRegistry.Find(estimator)!.Parameters.Single(p => p.Name == parameter).Default;

    private static double Logistic(double x) => 1 / (1 + Math.Exp(-x));
}

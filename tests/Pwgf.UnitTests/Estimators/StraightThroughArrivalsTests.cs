using Pwgf.Estimators.Objectives;
using Pwgf.UnitTests.Support;
using static Pwgf.Estimators.Families.LatentDistribution;

namespace Pwgf.UnitTests.Estimators;

/// <summary>
/// st-eat is biased, so it is checked against its own exact expectation, computed here by numerical integration over
/// the arrival times rather than by sampling them. Per log-rate the estimate is f'(N)_i D_i with N the count of
/// arrivals before 1 and D = sum_k sigmoid'((1 - t_k) / tau) t_k / tau. Conditioning on the k-th arrival time
/// t_k = s (Gamma(k, lambda)): when s &lt; 1, N = k + Poisson(lambda (1 - s)); when s &gt;= 1, N ~ Binomial(k - 1, 1 / s).
/// So E[N^m D] = sum_k integral Gamma(s; k, lambda) h(s) E[N^m | t_k = s] ds with h(s) = sigmoid'((1 - s)/tau) s / tau,
/// integrated by composite Simpson on [0, 1] and [1, 1 + 60 tau] (2000 intervals each; beyond, h &lt; e^-60).
/// The reference's own error is below 1e-9, far under the Monte Carlo standard errors.
/// </summary>
public sealed class StraightThroughArrivalsTests
{
    private const double Tolerance = 5; // standard errors

    [Theory]
    [InlineData("poisson-a-power", 0.1)]
    [InlineData("poisson-a-linear", 0.1)]
    [InlineData("poisson-b-power", 0.25)]
    [InlineData("poisson-b-linear", 0.05)]
    public void St_eat_matches_its_expectation_by_numerical_integration(string problemKey, double temperature)
    {
        var problem = ConformanceProblems.Get(problemKey);
        var expected = ExpectedEstimate(problem, temperature);
        using var built = NewEstimatorConformanceTests.Build("st-eat", Poisson, $"temperature={temperature}");

        var summary = Pooled(built.Estimator, problem, chunks: 4, samplesPerChunk: 40_000, seed: 1801);

        NewEstimatorReferences.AssertWithin(summary, expected, Tolerance, $"st-eat at tau = {temperature} on {problemKey}");
    }

    [Fact]
    public void St_eat_is_visibly_biased_and_its_forward_value_estimates_e_f()
    {
        var problem = ConformanceProblems.Get("poisson-a-power");
        var exact = NewEstimatorReferences.ExactByEnumeration(problem);
        var expected = ExpectedEstimate(problem, 0.1);
        using var built = NewEstimatorConformanceTests.Build("st-eat", Poisson, "");

        // The reference is far from the exact gradient, so the test above could not pass by confusing the two.
        Assert.Contains(expected.Zip(exact), pair => Math.Abs(pair.First - pair.Second) > 0.05);

        using var scope = TorchSharp.torch.NewDisposeScope();
        using var generator = new TorchSharp.torch.Generator(1802);
        var rows = TorchSharp.torch.tensor(problem.Point).unsqueeze(0).expand(50_000, 3);
        var values = built.Estimator.Surrogate(rows, problem.Objective, generator);
        double mean = values.mean().item<double>(), standardError = values.std().item<double>() / Math.Sqrt(50_000);
        double expectation = NewEstimatorReferences.Expectation(problem, problem.Point);
        Assert.True(Math.Abs(mean - expectation) < Tolerance * standardError, $"mean f {mean:G6} vs E f {expectation:G6}");
    }

    /// <summary>The expectation of st-eat's per-log-rate estimate for the quadratic conformance objectives.</summary>
    private static double[] ExpectedEstimate(ConformanceProblem problem, double temperature)
    {
        var rates = problem.Point.Select(Math.Exp).ToArray();
        var moments = rates.Select(rate => (D: Moment(rate, temperature, 0), ND: Moment(rate, temperature, 1))).ToArray();
        return problem.Objective switch
        {
            // f = sum_i (z_i - t)^2: f'_i = 2 (N_i - t)
            PowerObjective { Power: 2, Reduction: Reduction.Sum } power =>
                [.. moments.Select(m => 2 * m.ND - 2 * power.Target * m.D)],
            // f = (sum_j w_j z_j - T)^2: f'_i = 2 w_i (w_i N_i + sum_{j != i} w_j N_j - T), the other counts independent
            LinearSquareObjective linear => [.. moments.Select((m, i) =>
            {
                double others = linear.Weights.Select((w, j) => j == i ? 0 : w * rates[j]).Sum();
                return 2 * linear.Weights[i] * (linear.Weights[i] * m.ND + (others - linear.Target) * m.D);
            })],
            _ => throw new ArgumentException("Only the quadratic conformance objectives have a reference here."),
        };
    }

    /// <summary>E[N^power D] for one coordinate of rate <paramref name="rate"/> (power 0 or 1).</summary>
    private static double Moment(double rate, double temperature, int power)
    {
        double total = 0, logFactorial = 0;                       // log (k - 1)!
        for (int k = 1; k <= 200; k++)
        {
            if (k > 1) logFactorial += Math.Log(k - 1);
            int arrival = k;
            double Density(double s) => s <= 0 ? 0 : Math.Exp(arrival * Math.Log(rate) + (arrival - 1) * Math.Log(s) - rate * s - logFactorial);
            double Weight(double s)
            {
                double sigmoid = 1 / (1 + Math.Exp(-(1 - s) / temperature));
                return sigmoid * (1 - sigmoid) * s / temperature;
            }
            double Before(double s) => power == 0 ? 1 : arrival + rate * (1 - s);   // E[N^power | t_k = s < 1]
            double After(double s) => power == 0 ? 1 : (arrival - 1) / s;           // E[N^power | t_k = s >= 1]
            total += Simpson(s => Density(s) * Weight(s) * Before(s), 0, 1, 2000)
                     + Simpson(s => Density(s) * Weight(s) * After(s), 1, 1 + 60 * temperature, 2000);
        }
        return total;
    }

    private static double Simpson(Func<double, double> f, double from, double to, int intervals)
    {
        double h = (to - from) / intervals, sum = f(from) + f(to);
        for (int i = 1; i < intervals; i++) sum += f(from + i * h) * (i % 2 == 1 ? 4 : 2);
        return sum * h / 3;
    }

    /// <summary>Chunks of per-sample estimates pooled (the arrival times of one big call would not fit in memory).</summary>
    private static GradientSampling.Summary Pooled(Pwgf.Estimators.IGradientEstimator estimator, ConformanceProblem problem, int chunks, int samplesPerChunk, ulong seed)
    {
        var parts = Enumerable.Range(0, chunks)
            .Select(c => GradientSampling.Sample(estimator, problem.Point, problem.Objective, samplesPerChunk, seed + (ulong)c))
            .ToList();
        int width = problem.Point.Length;
        var mean = Enumerable.Range(0, width).Select(i => parts.Average(p => p.Mean[i])).ToArray();
        var standardError = Enumerable.Range(0, width).Select(i => Math.Sqrt(parts.Sum(p => p.StandardError[i] * p.StandardError[i])) / chunks).ToArray();
        var variance = Enumerable.Range(0, width).Select(i => parts.Average(p => p.Variance[i])).ToArray();
        return new GradientSampling.Summary(mean, standardError, variance);
    }
}

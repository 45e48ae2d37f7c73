using Pwgf.Estimators.Families;
using Pwgf.Estimators.Objectives;
using Pwgf.UnitTests.Support;
using Xunit.Abstractions;

namespace Pwgf.UnitTests.Estimators;

/// <summary>
/// The W2 projection of pwgf (docs/pwgf.md) by exact enumeration: what it equals, where it is unbiased, and how it
/// relates to straight-through and ReinMax. The enumerated numbers are written to the test output.
/// </summary>
public sealed class WassersteinProjectionTests(ITestOutputHelper output)
{
    private static readonly EstimatorSetting Mean = new("projection=mean", new Dictionary<string, double>(), new Dictionary<string, string> { ["projection"] = "mean" });

    public static TheoryData<string> BernoulliProblems => new(ConformanceProblems.All.Where(p => p.Distribution == LatentDistribution.Bernoulli).Select(p => p.Key));

    public static TheoryData<string> CategoricalProblems => new(ConformanceProblems.All.Where(p => p.Distribution == LatentDistribution.Categorical).Select(p => p.Key));

    [Theory]
    [MemberData(nameof(BernoulliProblems))]
    public void Bernoulli_w2_is_reinmax_at_temperature_one_in_every_sample(string problemKey)
    {
        // Enumeration of the rules: per state, z = 1 gives f'(1)(1 - p)/2 and z = 0 gives f'(0) p/2 in both.
        var problem = ConformanceProblems.Get(problemKey);
        var w2 = PublishedRules.WassersteinProjection(LatentDistribution.Bernoulli);
        var reinmax = PublishedRules.ReinMax(LatentDistribution.Bernoulli, 1);
        foreach (double phi in new[] { -4.0, -1.2, 0, 0.3, 2.0, 6.0 })
            foreach (double z in new[] { 0.0, 1.0 })
                Assert.Equal(reinmax([phi], [z], [1.7])[0], w2([phi], [z], [1.7])[0], 1e-15);

        // The implementations, from the same seed, give the same estimate sample by sample.
        var pwgf = GradientSampling.PerSample(ConformanceProblems.Build("pwgf", problem), problem.Point, problem.Objective, 2000, 31);
        var rein = GradientSampling.PerSample(ConformanceProblems.Build("reinmax", problem, new() { ["temperature"] = 1 }), problem.Point, problem.Objective, 2000, 31);
        for (int n = 0; n < pwgf.Length; n++)
            for (int i = 0; i < problem.Point.Length; i++) Assert.Equal(rein[n][i], pwgf[n][i], 1e-12);

        var exact = Exact(problem);
        var mean = Expected(problem, w2);
        output.WriteLine($"{problemKey}: E[pwgf w2] = E[reinmax tau=1] = {Format(mean)}; exact {Format(exact)}; ST {Format(Expected(problem, PublishedRules.StraightThrough(problem.Distribution)))}");
        if (ExpectationReferences.Quadratic(problem))
        {
            for (int i = 0; i < exact.Length; i++) Assert.Equal(exact[i], mean[i], 1e-12);
        }
    }

    [Fact]
    public void Reinmax_above_temperature_one_is_biased_on_a_quadratic_and_w2_is_not()
    {
        var problem = ConformanceProblems.Get("bernoulli-a-linear");
        var exact = Exact(problem);
        var tempered = Expected(problem, PublishedRules.ReinMax(LatentDistribution.Bernoulli, 1.3));
        output.WriteLine($"exact {Format(exact)}; reinmax tau=1.3 {Format(tempered)}");
        Assert.True(exact.Select((g, i) => Math.Abs(tempered[i] - g)).Max() > 1e-3);
    }

    [Theory]
    [MemberData(nameof(CategoricalProblems))]
    public void Categorical_w2_is_exactly_unbiased_for_quadratic_objectives_as_is_reinmax_but_differs_from_it_per_sample(string problemKey)
    {
        var problem = ConformanceProblems.Get(problemKey);
        var exact = Exact(problem);
        var w2 = Expected(problem, PublishedRules.WassersteinProjection(LatentDistribution.Categorical));
        var reinmax = Expected(problem, PublishedRules.ReinMax(LatentDistribution.Categorical, 1));
        var st = Expected(problem, PublishedRules.StraightThrough(LatentDistribution.Categorical));
        output.WriteLine($"{problemKey}: exact {Format(exact)}");
        output.WriteLine($"  pwgf w2 {Format(w2)}");
        output.WriteLine($"  reinmax tau=1 {Format(reinmax)}");
        output.WriteLine($"  st {Format(st)}");

        if (ExpectationReferences.Quadratic(problem))
        {
            for (int i = 0; i < exact.Length; i++)
            {
                Assert.Equal(exact[i], w2[i], 1e-12);
                Assert.Equal(exact[i], reinmax[i], 1e-12);
            }
        }
        else
        {
            double apart = w2.Select((g, i) => Math.Abs(g - reinmax[i])).Max();
            output.WriteLine($"  largest |E w2 - E reinmax| {apart:G4}");
            Assert.True(apart > 1e-4, "w2 and reinmax should differ in mean on a non-quadratic objective");
        }

        // Per sample they differ once there are more than two classes (here K = 3 or 4).
        double largest = 0;
        var theta = problem.Point[..problem.Classes];
        var gradient = Enumerable.Range(0, problem.Classes).Select(k => 1.0 + k * k).ToArray();
        for (int d = 0; d < problem.Classes; d++)
        {
            var z = Enumerable.Range(0, problem.Classes).Select(k => k == d ? 1.0 : 0).ToArray();
            var a = PublishedRules.WassersteinProjection(LatentDistribution.Categorical)(theta, z, gradient);
            var b = PublishedRules.ReinMax(LatentDistribution.Categorical, 1)(theta, z, gradient);
            largest = Math.Max(largest, a.Select((g, i) => Math.Abs(g - b[i])).Max());
        }
        output.WriteLine($"  largest per-sample |w2 - reinmax| with grad f = (1, 2, 5, ...): {largest:G4}");
        Assert.True(largest > 1e-3);
    }

    [Theory]
    [InlineData("categorical-a-power")]
    [InlineData("categorical-a-linear")]
    [InlineData("categorical-b-linear")]
    public void The_bernoulli_rule_applied_to_each_one_hot_entry_alone_is_biased_for_quadratic_objectives(string problemKey)
    {
        // The alternative to the (mean, covariance) geometry: treat each one-hot entry z_k as Bernoulli(pi_k), use
        // dz_k/dpi_k := z_k/(2 pi_k) + (1 - z_k)/(2 (1 - pi_k)) and push that through J(pi). It ignores how the entries
        // move together, and it misses the exact gradient even for quadratic f.
        var problem = ConformanceProblems.Get(problemKey);
        CoordinateRule perEntry = (theta, z, v) =>
        {
            var pi = PublishedRules.Softmax(theta);
            var inPi = v.Select((g, k) => g * (z[k] / (2 * pi[k]) + (1 - z[k]) / (2 * (1 - pi[k])))).ToArray();
            var j = PublishedRules.SoftmaxJacobian(pi);
            return [.. Enumerable.Range(0, pi.Length).Select(a => Enumerable.Range(0, pi.Length).Sum(b => j[a, b] * inPi[b]))];
        };
        var exact = Exact(problem);
        var mean = Expected(problem, perEntry);
        double gap = exact.Select((g, i) => Math.Abs(mean[i] - g)).Max();
        output.WriteLine($"{problemKey}: exact {Format(exact)}; per-entry Bernoulli rule {Format(mean)}; largest gap {gap:G4}");
        Assert.True(gap > 1e-3);
    }

    [Theory]
    [InlineData(-2.0)]
    [InlineData(0.0)]
    [InlineData(0.7)]
    [InlineData(3.5)]
    public void With_two_classes_the_categorical_w2_rule_is_the_bernoulli_rule(double phi)
    {
        // A Bernoulli(sigmoid(phi)) coordinate is the categorical with logits (0, phi), sample (1 - z, z).
        foreach (double z in new[] { 0.0, 1.0 })
        {
            var categorical = PublishedRules.WassersteinProjection(LatentDistribution.Categorical)([0, phi], [1 - z, z], [0.4, 2.1]);
            var bernoulli = PublishedRules.WassersteinProjection(LatentDistribution.Bernoulli)([phi], [z], [2.1 - 0.4]);
            Assert.Equal(bernoulli[0], categorical[1], 1e-12);
            Assert.Equal(-bernoulli[0], categorical[0], 1e-12);
        }
    }

    [Theory]
    [InlineData(new[] { 0.5, -0.3, 0.1 })]
    [InlineData(new[] { 1.5, 0.0, -0.5, -0.4 })]
    [InlineData(new[] { 6.0, -3.0, 0.2, 1.0, -8.0 })]
    public void The_categorical_fields_reproduce_the_derivatives_of_mean_and_covariance(double[] theta)
    {
        // u_k must satisfy E[u_k] = dpi/dtheta_k and E[(z - pi) u_k^T + u_k (z - pi)^T] = dS/dtheta_k.
        int k = theta.Length;
        var pi = PublishedRules.Softmax(theta);
        var fields = Enumerable.Range(0, k).Select(d => PublishedRules.CategoricalFields(theta, OneHot(k, d))).ToArray(); // [sample d][direction c][entry]
        const double h = 1e-6;
        for (int c = 0; c < k; c++)
        {
            double[] up = [.. theta], down = [.. theta];
            up[c] += h;
            down[c] -= h;
            var dPi = Subtract(PublishedRules.Softmax(up), PublishedRules.Softmax(down)).Select(x => x / (2 * h)).ToArray();
            var dCovariance = Covariance(PublishedRules.Softmax(up), PublishedRules.Softmax(down), h);
            for (int i = 0; i < k; i++)
            {
                Assert.Equal(dPi[i], Enumerable.Range(0, k).Sum(d => pi[d] * fields[d][c][i]), 1e-8);
                for (int j = 0; j < k; j++)
                {
                    double moment = Enumerable.Range(0, k).Sum(d =>
                        pi[d] * ((OneHot(k, d)[i] - pi[i]) * fields[d][c][j] + fields[d][c][i] * (OneHot(k, d)[j] - pi[j])));
                    Assert.Equal(dCovariance[i, j], moment, 1e-8);
                }
            }
        }
    }

    [Theory]
    [InlineData("bernoulli-a-linear")]
    [InlineData("categorical-b-power")]
    [InlineData("poisson-a-power")]
    public void The_mean_projection_is_straight_through_and_the_default_w2_projection_differs_from_it(string problemKey)
    {
        var problem = ConformanceProblems.Get(problemKey);
        var st = GradientSampling.PerSample(ConformanceProblems.Build("st", problem), problem.Point, problem.Objective, 500, 41, problem.Classes);
        var mean = GradientSampling.PerSample(ConformanceProblems.BuildWith("pwgf", problem, Mean), problem.Point, problem.Objective, 500, 41, problem.Classes);
        var w2 = GradientSampling.PerSample(ConformanceProblems.Build("pwgf", problem), problem.Point, problem.Objective, 500, 41, problem.Classes);

        Assert.Equal(st.SelectMany(r => r), mean.SelectMany(r => r));
        Assert.True(st.Zip(w2).Max(pair => pair.First.Zip(pair.Second).Max(x => Math.Abs(x.First - x.Second))) > 1e-3);
    }

    [Theory]
    [InlineData(0.5, "quadratic", -2.6, -3.6, -2.6, -1.7333)]
    [InlineData(1.7, "quadratic", -0.2, -1.2, -0.2, -0.1744)]
    [InlineData(1.7, "quartic", -1.2368, -2.8508, -1.3968, -1.2177)]
    [InlineData(1.7, "exponential", -0.2016, -0.2561, -0.2057, -0.1794)]
    [InlineData(1.7, "logarithm", -0.3778, -0.4808, -0.3931, -0.3427)]
    [InlineData(5.0, "quartic", 23.5, 17.2, 24.0, 22.8571)]
    public void The_poisson_table_of_pwgf_md_is_reproduced_by_summation(double rate, string function, double exact, double st, double pwgf, double preconditioned)
    {
        // docs/pwgf.md section 7, per unit lambda, by summing over the support (the tail beyond 200 is negligible here).
        Func<double, double> f, slope;
        switch (function)
        {
            case "quadratic": f = z => (z - 2.3) * (z - 2.3); slope = z => 2 * (z - 2.3); break;
            case "quartic": f = z => Math.Pow(z - 3, 4) / 10; slope = z => 0.4 * Math.Pow(z - 3, 3); break;
            case "exponential": f = z => Math.Exp(-z / 2); slope = z => -Math.Exp(-z / 2) / 2; break;
            default: f = z => -Math.Log(1 + z); slope = z => -1 / (1 + z); break;
        }
        double exactSum = 0, stSum = 0, w2Sum = 0, mass = Math.Exp(-rate);
        for (int k = 0; k < 200; k++, mass *= rate / k)
        {
            exactSum += mass * (f(k + 1) - f(k));
            stSum += mass * slope(k);
            w2Sum += mass * slope(k) * (k + rate) / (2 * rate);
        }
        output.WriteLine($"lambda {rate}, {function}: exact {exactSum:F4}, ST {stSum:F4}, pwgf {w2Sum:F4}, preconditioned {w2Sum / (1 + 1 / (4 * rate)):F4}");
        Assert.Equal(exact, exactSum, 1e-4);
        Assert.Equal(st, stSum, 1e-4);
        Assert.Equal(pwgf, w2Sum, 1e-4);
        Assert.Equal(preconditioned, w2Sum / (1 + 1 / (4 * rate)), 1e-4);
    }

    private static double[] Exact(ConformanceProblem problem) =>
        Enumeration.ExactGradient(problem.Family, problem.Objective, problem.Point, problem.Dims, problem.Classes);

    private static double[] Expected(ConformanceProblem problem, CoordinateRule rule) =>
        Enumeration.ExpectedRule(problem.Family, problem.Objective, problem.Point, problem.Dims, problem.Classes, rule);

    private static string Format(double[] values) => "[" + string.Join(", ", values.Select(v => v.ToString("F6", System.Globalization.CultureInfo.InvariantCulture))) + "]";

    private static double[] OneHot(int k, int d) => [.. Enumerable.Range(0, k).Select(i => i == d ? 1.0 : 0)];

    private static double[] Subtract(double[] a, double[] b) => [.. a.Select((x, i) => x - b[i])];

    private static double[,] Covariance(double[] up, double[] down, double h)
    {
        int k = up.Length;
        var result = new double[k, k];
        for (int i = 0; i < k; i++)
            for (int j = 0; j < k; j++)
            {
                double upper = (i == j ? up[i] : 0) - up[i] * up[j], lower = (i == j ? down[i] : 0) - down[i] * down[j];
                result[i, j] = (upper - lower) / (2 * h);
            }
        return result;
    }
}

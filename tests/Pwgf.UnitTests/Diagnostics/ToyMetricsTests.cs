using Pwgf.Estimators;
using Pwgf.Estimators.Families;
using Pwgf.Training;
using Pwgf.Training.Toys;
using static TorchSharp.torch;

namespace Pwgf.UnitTests.Diagnostics;

/// <summary>The toy tasks record the audit's noise-corrected bias statistics at every evaluation.</summary>
public sealed class ToyMetricsTests
{
    private static IReadOnlyDictionary<string, double> Evaluate(string task, IReadOnlyDictionary<string, double> options, string estimatorName, LatentDistribution distribution)
    {
        var configuration = new RunConfiguration(task, options, estimatorName, new Dictionary<string, double>(), 5, 10,
            new OptimizerSpecification("adam", 0.01), 10);
        var problem = distribution == LatentDistribution.Poisson ? ToyProblem.Poisson(configuration) : ToyProblem.Bernoulli(configuration);
        var estimator = EstimatorRegistry.Find(estimatorName)!.Build(distribution, new Dictionary<string, double>());
        using var session = ToySession.Start(problem, configuration, estimator, CPU);
        return session.Evaluate().ToDictionary(m => m.Name, m => m.Value);
    }

    private static readonly Dictionary<string, double> PoissonToy = new()
    {
        ["dims"] = 3, ["target"] = 3.4, ["batchSize"] = 16, ["diagnosticSamples"] = 4000,
    };

    [Fact]
    public void Poisson_toy_records_the_corrected_bias_and_the_bias_tests_p_value()
    {
        // At the start (lambda = 1) the exact gradient per rate is 1 + 2 (1 - 3.4) = -3.8 and ST's mean 2 (1 - 3.4) =
        // -4.8: a relative bias of 1 / 3.8 = 0.263. pwgf is unbiased on this quadratic.
        var st = Evaluate("poisson-toy", PoissonToy, "st", LatentDistribution.Poisson);
        var pwgf = Evaluate("poisson-toy", PoissonToy, "pwgf", LatentDistribution.Poisson);

        Assert.InRange(st["grad_relative_bias"], 0.263 - 0.03, 0.263 + 0.03);
        Assert.True(st["grad_bias_pvalue"] < 1e-6, $"st p = {st["grad_bias_pvalue"]}");
        Assert.True(pwgf["grad_relative_bias"] < 0.05, $"pwgf corrected bias {pwgf["grad_relative_bias"]}");
        Assert.True(pwgf["grad_bias_pvalue"] > 1e-3, $"pwgf p = {pwgf["grad_bias_pvalue"]}");
        // The upper bound sits above the corrected value, and for ST still covers its true relative bias of 0.263.
        Assert.All(new[] { st, pwgf }, metrics => Assert.True(metrics["grad_relative_bias_upper95"] >= metrics["grad_relative_bias"]));
        Assert.True(st["grad_relative_bias_upper95"] >= 0.263, $"st upper bound {st["grad_relative_bias_upper95"]}");
        Assert.True(pwgf["grad_relative_bias_upper95"] < 0.1, $"pwgf upper bound {pwgf["grad_relative_bias_upper95"]}");
        Assert.All(new[] { st, pwgf }, metrics => Assert.True(metrics.ContainsKey("grad_cosine"), "the gradient is resolved here"));
        Assert.Contains("grad_bias_pvalue", ToySession.Metrics.Select(metric => metric.Name));
    }

    [Fact]
    public void A_one_dimensional_toy_records_no_cosine()
    {
        var metrics = Evaluate("bernoulli-toy", new Dictionary<string, double>
        {
            ["dims"] = 1, ["target"] = 0.45, ["power"] = 2, ["batchSize"] = 1, ["diagnosticSamples"] = 1000,
        }, "st", LatentDistribution.Bernoulli);

        Assert.False(metrics.ContainsKey("grad_cosine"));
        Assert.True(metrics.ContainsKey("grad_relative_bias") && metrics.ContainsKey("grad_bias_pvalue"));
    }
}

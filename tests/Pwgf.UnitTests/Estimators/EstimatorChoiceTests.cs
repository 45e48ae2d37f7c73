using System.Text.Json;
using Pwgf.Api.Catalog;
using Pwgf.Api.Comparisons;
using Pwgf.Estimators;
using Pwgf.Estimators.Families;
using Pwgf.Infrastructure;
using Pwgf.Training;

namespace Pwgf.UnitTests.Estimators;

/// <summary>
/// Named-choice estimator parameters (pwgf's projection): how they resolve, how a request names them, and that runs
/// of estimators without one keep the stored JSON and the configuration hash they had before choices existed.
/// </summary>
public sealed class EstimatorChoiceTests
{
    [Fact]
    public void Pwgf_resolves_its_projection_to_w2_unless_told_mean_and_refuses_anything_else()
    {
        var pwgf = EstimatorRegistry.Find("pwgf")!;

        Assert.Equal("w2", pwgf.Resolve(new Dictionary<string, double>(), out var none).Choice("projection"));
        Assert.Empty(none);
        Assert.Equal("mean", pwgf.Resolve(new Dictionary<string, double>(), out _, new Dictionary<string, string> { ["projection"] = "mean" }).Choice("projection"));

        pwgf.Resolve(new Dictionary<string, double>(), out var unknown, new Dictionary<string, string> { ["projection"] = "natural" });
        Assert.Contains("w2, mean", unknown["projection"]);
        pwgf.Resolve(new Dictionary<string, double> { ["projection"] = 1 }, out var number);
        Assert.True(number.ContainsKey("projection"));
        EstimatorRegistry.Find("st")!.Resolve(new Dictionary<string, double>(), out var stranger, new Dictionary<string, string> { ["projection"] = "w2" });
        Assert.True(stranger.ContainsKey("projection"));
        Assert.Throws<ArgumentException>(() => pwgf.Build(LatentDistribution.Bernoulli, new Dictionary<string, double>(), new Dictionary<string, string> { ["projection"] = "natural" }));
    }

    [Fact]
    public void A_comparison_request_names_a_projection_and_the_specification_keeps_it()
    {
        var request = JsonSerializer.Deserialize<SubmitComparisonRequest>("""
            {"task": "bernoulli-toy", "estimators": ["st", "pwgf", {"name": "pwgf", "projection": "mean"}], "seeds": [1], "steps": 10}
            """, RunJson.Options)!;

        var specification = ComparisonValidator.Validate(request, out var errors);

        Assert.Empty(errors);
        Assert.Equal(new[] { "st", "pwgf", "pwgf(projection=mean)" }, specification!.Estimators.Select(e => e.Label));
        Assert.Null(specification.Estimators[0].Choices);
        Assert.Equal("w2", specification.Estimators[1].Choices!["projection"]);
        Assert.Equal("mean", specification.Estimators[2].Choices!["projection"]);
    }

    [Fact]
    public void A_request_with_an_unknown_projection_names_the_field()
    {
        var request = JsonSerializer.Deserialize<SubmitComparisonRequest>("""
            {"task": "bernoulli-toy", "estimators": [{"name": "pwgf", "projection": "natural"}], "seeds": [1], "steps": 10}
            """, RunJson.Options)!;

        Assert.Null(ComparisonValidator.Validate(request, out var errors));
        Assert.Equal(new[] { "estimators[0].projection" }, errors.Keys);
    }

    [Fact]
    public void Configurations_without_choices_store_and_hash_as_before_choices_existed()
    {
        // Hashes computed at commit c8c9f7f, before RunConfiguration and EstimatorChoice had choices.
        var toy = new RunConfiguration("poisson-toy",
            new Dictionary<string, double> { ["dims"] = 3, ["target"] = 3.4, ["batchSize"] = 16, ["diagnosticSamples"] = 1000 },
            "reinforce-loo", new Dictionary<string, double> { ["samples"] = 4 }, 7, 2000, new OptimizerSpecification("adam", 0.01), 20);
        var vae = new RunConfiguration("bernoulli-vae", new Dictionary<string, double> { ["latentDims"] = 200, ["batchSize"] = 50 },
            "st", new Dictionary<string, double>(), 1, 100, new OptimizerSpecification("adam", 0.001), 10, null,
            new Dictionary<string, string> { ["dataset"] = "synthetic", ["architecture"] = "linear" });
        var specification = new ComparisonSpecification("poisson-toy", new Dictionary<string, double> { ["dims"] = 3, ["target"] = 3.4 },
            [new EstimatorChoice("st", "st", new Dictionary<string, double>()),
             new EstimatorChoice("reinforce-loo", "reinforce-loo(samples=4)", new Dictionary<string, double> { ["samples"] = 4 })],
            [1, 2], 2000, new OptimizerSpecification("adam", 0.01), 20);

        Assert.Equal("aeb8d9a12c63bfd3beac961344ad9be50c3c7d420139f8d1004af13cdbc798ee", RunJson.Hash(toy));
        Assert.Equal("d64e13208a8f569552db6b061010492eb1a93dbf5c924a445e34822c11b30a58", RunJson.Hash(vae));
        Assert.Equal("751a3a2e99b0b7e0da717c75379953e1a48ba56179a01ca7a3bcfde3158949f0", RunJson.Hash(specification));
        Assert.DoesNotContain("estimatorChoices", JsonSerializer.Serialize(toy, RunJson.Options));
    }

    [Fact]
    public void A_configuration_with_a_choice_stores_it_and_reads_it_back()
    {
        var configuration = new RunConfiguration("bernoulli-toy", new Dictionary<string, double> { ["dims"] = 1 }, "pwgf",
            new Dictionary<string, double> { ["preconditioned"] = 0 }, 3, 10, new OptimizerSpecification("adam", 0.01), 1,
            EstimatorChoices: new Dictionary<string, string> { ["projection"] = "mean" });
        var other = configuration with { EstimatorChoices = new Dictionary<string, string> { ["projection"] = "w2" } };

        var stored = JsonSerializer.Serialize(configuration, RunJson.Options);
        var read = JsonSerializer.Deserialize<RunConfiguration>(stored, RunJson.Options)!;

        Assert.Equal("mean", read.EstimatorChoices!["projection"]);
        Assert.NotEqual(RunJson.Hash(configuration), RunJson.Hash(other));
    }
}

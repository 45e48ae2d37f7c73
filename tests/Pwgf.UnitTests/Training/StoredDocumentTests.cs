using Pwgf.Infrastructure;
using Pwgf.Training;

namespace Pwgf.UnitTests.Training;

/// <summary>
/// The stored documents keep the JSON and the hashes that rows written before they became typed records carry.
/// The expected texts and hashes were produced by the code before that change (commit c9d1c67, where the API stored
/// its own DTO) and checked independently: Python's json.dumps(..., sort_keys=True, separators=(',', ':')) of each
/// text, hashed with hashlib.sha256, gives the same hashes.
/// </summary>
public sealed class StoredDocumentTests
{
    private static readonly RunConfiguration Configuration = new("categorical-toy",
        new Dictionary<string, double> { ["dims"] = 4, ["classes"] = 3, ["batchSize"] = 16, ["diagnosticSamples"] = 1000, ["target"] = 1.6, ["power"] = 2 },
        "reinforce-loo", new Dictionary<string, double> { ["samples"] = 4 }, 42, 2000, new OptimizerSpecification("adam", 0.01), 20,
        new Dictionary<string, double[]> { ["costs"] = [0.5, -1, 2.25] }, null);

    private const string ConfigurationJson =
        """{"task":"categorical-toy","taskOptions":{"dims":4,"classes":3,"batchSize":16,"diagnosticSamples":1000,"target":1.6,"power":2},"estimator":"reinforce-loo","estimatorParameters":{"samples":4},"seed":42,"steps":2000,"optimizer":{"name":"adam","learningRate":0.01},"evalEvery":20,"taskLists":{"costs":[0.5,-1,2.25]},"taskChoices":null}""";

    private static readonly ComparisonSpecification Specification = new("bernoulli-vae",
        new Dictionary<string, double> { ["latentDims"] = 200, ["batchSize"] = 50, ["trainSubset"] = 0, ["importanceSamples"] = 100, ["evalImages"] = 1000 },
        [
            new EstimatorChoice("disarm", "disarm", new Dictionary<string, double>()),
            new EstimatorChoice("relax", "relax(temperature=0.3)", new Dictionary<string, double> { ["temperature"] = 0.3, ["scale"] = 1, ["hidden"] = 10, ["tuningRate"] = 0.01 }),
        ],
        [1, 2, 3], 5000, new OptimizerSpecification("adam", 0.001), 50, null,
        new Dictionary<string, string> { ["dataset"] = "fashion-mnist", ["architecture"] = "linear" });

    private const string SpecificationJson =
        """{"task":"bernoulli-vae","taskOptions":{"latentDims":200,"batchSize":50,"trainSubset":0,"importanceSamples":100,"evalImages":1000},"estimators":[{"name":"disarm","label":"disarm","parameters":{}},{"name":"relax","label":"relax(temperature=0.3)","parameters":{"temperature":0.3,"scale":1,"hidden":10,"tuningRate":0.01}}],"seeds":[1,2,3],"steps":5000,"optimizer":{"name":"adam","learningRate":0.001},"evalEvery":50,"taskLists":null,"taskChoices":{"dataset":"fashion-mnist","architecture":"linear"}}""";

    private const string ManifestJson =
        """{"configHash":"abc","seed":42,"commit":"0123456789abcdef0123456789abcdef01234567","torchSharpVersion":"0.105.0","libtorchVersion":"2.5.1","device":"cpu","torchThreads":2,"worker":"host:1:aa","runtimeVersion":".NET 10.0.0","osDescription":"Linux","threadsChangedAfterStep":1500}""";

    [Fact]
    public void A_run_configuration_is_stored_and_hashed_as_before()
    {
        Assert.Equal(ConfigurationJson, RunJson.Serialize(Configuration));
        Assert.Equal("b5b94131ede69b74ac3357991d67c7964bca4b2075aa9f72a07863c4cf41e7ab", RunJson.Hash(Configuration));
        Assert.Equal(ConfigurationJson, RunJson.Serialize(RunJson.Deserialize<RunConfiguration>(ConfigurationJson)));
    }

    [Fact]
    public void A_comparison_specification_is_stored_and_hashed_as_before()
    {
        Assert.Equal(SpecificationJson, RunJson.Serialize(Specification));
        Assert.Equal("f8abf5d01b8e390567d9f8021d6e1fcd67078158d94d30ea457e6d6969e0741d", RunJson.Hash(Specification));
        Assert.Equal(SpecificationJson, RunJson.Serialize(RunJson.Deserialize<ComparisonSpecification>(SpecificationJson)));
    }

    [Fact]
    public void The_run_of_an_estimator_and_seed_carries_the_comparison_settings()
    {
        var run = Specification.RunOf(Specification.Estimators[1], 3);

        Assert.Equal(("bernoulli-vae", "relax", 3L, 5000, 50), (run.Task, run.Estimator, run.Seed, run.Steps, run.EvalEvery));
        Assert.Equal(0.3, run.EstimatorParameters["temperature"]);
        Assert.Equal(new OptimizerSpecification("adam", 0.001), run.Optimizer);
        Assert.Equal("fashion-mnist", run.Choice("dataset"));
    }

    [Fact]
    public void A_manifest_is_stored_as_before()
    {
        var manifest = new RunManifest("abc", 42, "0123456789abcdef0123456789abcdef01234567", "0.105.0", "2.5.1", "cpu", 2, "host:1:aa", ".NET 10.0.0", "Linux", 1500);

        Assert.Equal(ManifestJson, RunJson.Serialize(manifest));
        Assert.Equal(manifest, RunJson.Deserialize<RunManifest>(ManifestJson));
    }
}

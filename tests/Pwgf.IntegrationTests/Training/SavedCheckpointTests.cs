using Pwgf.Estimators;
using Pwgf.Training;

namespace Pwgf.IntegrationTests.Training;

/// <summary>
/// Checkpoints written by an earlier build (the files under Checkpoints/, captured before the sessions shared a
/// base class) still resume: every byte is read back into the session, and the session writes the same bytes again.
/// </summary>
public sealed class SavedCheckpointTests
{
    /// <summary>The configurations the files were captured from (seed 7, Adam 0.05; five steps, then one evaluation).</summary>
    private static RunConfiguration Toy(string task, string estimator, Dictionary<string, double> options)
    {
        var definition = TaskRegistry.Find(task)!;
        var resolved = ParameterSpec.Resolve(task, definition.Options, options, out var problems);
        Assert.Empty(problems);
        var parameters = EstimatorRegistry.Find(estimator)!.Resolve(new Dictionary<string, double>(), out _);
        return new RunConfiguration(task, resolved.Values, estimator, parameters.Values, 7, 100,
            new OptimizerSpecification("adam", 0.05), EvalEvery: 10, TaskChoices: resolved.Choices);
    }

    public static TheoryData<string> Files() => ["bernoulli-toy-relax", "categorical-toy-st", "bernoulli-vae-relax"];

    private static RunConfiguration ConfigurationOf(string file) => file switch
    {
        "bernoulli-toy-relax" => Toy("bernoulli-toy", "relax", new() { ["dims"] = 3, ["batchSize"] = 4, ["diagnosticSamples"] = 10 }),
        "categorical-toy-st" => Toy("categorical-toy", "st", new() { ["dims"] = 2, ["classes"] = 3, ["batchSize"] = 4, ["diagnosticSamples"] = 10 }),
        // Three steps at seed 3.
        _ => VaeSessionTests.Configuration("bernoulli-vae", "relax", steps: 10, seed: 3,
            ("latentDims", 2), ("batchSize", 8), ("importanceSamples", 2), ("evalImages", 10), ("trainSubset", 50)),
    };

    private static byte[] Saved(string file) =>
        File.ReadAllBytes(Path.Combine(Repository.Root, "tests", "Pwgf.IntegrationTests", "Training", "Checkpoints", file + ".ckpt"));

    [Theory]
    [MemberData(nameof(Files))]
    public void A_checkpoint_of_an_earlier_build_resumes_and_is_written_back_byte_for_byte(string file)
    {
        byte[] saved = Saved(file);
        using var session = VaeSessionTests.Start(ConfigurationOf(file));

        SessionCheckpoint.Restore(session, saved);

        Assert.Equal(saved, SessionCheckpoint.Capture(session));
        session.Step();
        Assert.All(session.Evaluate(), metric => Assert.True(double.IsFinite(metric.Value), $"{file}: {metric}"));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void A_truncated_checkpoint_is_refused_naming_the_part_it_ends_in(string file)
    {
        byte[] truncated = Saved(file)[..^100];
        using var session = VaeSessionTests.Start(ConfigurationOf(file));

        var error = Assert.Throws<CheckpointFormatException>(() => SessionCheckpoint.Restore(session, truncated));
        Assert.Contains(file.EndsWith("-st", StringComparison.Ordinal) ? "'diagnostics stream' part" : "'estimator tuning' part", error.Message);
        Assert.Contains("Submit its configuration again", error.Message);
    }
}

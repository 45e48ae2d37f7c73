using Pwgf.Estimators;
using Pwgf.Training;
using Pwgf.Training.Data;
using static TorchSharp.torch;

namespace Pwgf.IntegrationTests.Training;

/// <summary>The VAE tasks in process, on the synthetic images: learning, exact resume and repeatability.</summary>
public sealed class VaeSessionTests
{
    private static readonly DatasetCatalog Datasets = new(new DatasetOptions());

    /// <summary>A small configuration of a VAE task with the given options over its defaults.</summary>
    internal static RunConfiguration Configuration(string task, string estimator, int steps, long seed = 1, params (string Name, object Value)[] options)
    {
        var definition = TaskRegistry.Find(task)!;
        var numbers = new Dictionary<string, double> { ["latentDims"] = 8, ["batchSize"] = 16, ["importanceSamples"] = 10, ["evalImages"] = 40 };
        var texts = new Dictionary<string, string> { ["dataset"] = "synthetic" };
        foreach (var (name, value) in options)
        {
            if (value is string text) texts[name] = text;
            else numbers[name] = Convert.ToDouble(value);
        }
        var resolved = ParameterSpec.Resolve(task, definition.Options, numbers, out var problems, texts: texts);
        Assert.Empty(problems);
        var parameters = EstimatorRegistry.Find(estimator)!.Resolve(new Dictionary<string, double>(), out _);
        return new RunConfiguration(task, resolved.Values, estimator, parameters.Values, seed, steps,
            new OptimizerSpecification("adam", 3e-3), EvalEvery: steps, TaskChoices: resolved.Choices);
    }

    internal static ITrainingSession Start(RunConfiguration configuration)
    {
        var task = TaskRegistry.Find(configuration.Task)!;
        var estimator = EstimatorRegistry.Find(configuration.Estimator)!.Build(task.Distribution, configuration.EstimatorParameters);
        return task.Start(configuration, estimator, new TaskContext(CPU, Datasets));
    }

    private static Dictionary<string, double> Run(ITrainingSession session, int steps)
    {
        for (int i = 0; i < steps; i++) session.Step();
        return session.Evaluate().ToDictionary(m => m.Name, m => m.Value);
    }

    public static TheoryData<string, string> EveryTaskAndEstimator()
    {
        var data = new TheoryData<string, string>();
        foreach (var task in TaskRegistry.All.Where(t => t.Name.EndsWith("-vae", StringComparison.Ordinal)))
        {
            foreach (var estimator in EstimatorRegistry.All.Where(task.Accepts)) data.Add(task.Name, estimator.Name);
        }
        return data;
    }

    /// <summary>
    /// Training runs end to end with every estimator and records finite metrics. The falling bound shows that the loop,
    /// the decoder and the KL term train; it says little about the estimator, since those parts get exact gradients
    /// and lower the bound even when the encoder gets none. VaeEncoderGradientTests checks the estimator's gradient.
    /// </summary>
    [Theory]
    [MemberData(nameof(EveryTaskAndEstimator))]
    public void Every_estimator_trains_every_vae_to_finite_metrics_and_a_lower_bound(string task, string estimator)
    {
        using var session = Start(Configuration(task, estimator, steps: 150));
        var before = session.Evaluate().ToDictionary(m => m.Name, m => m.Value);
        var after = Run(session, 150);

        Assert.Equal(["encoder_grad_variance", "steps_per_second", "test_neg_log_likelihood", "train_neg_elbo", "valid_neg_log_likelihood"],
            after.Keys.Order());
        Assert.All(after.Values, value => Assert.True(double.IsFinite(value), $"{task}/{estimator}: {string.Join(", ", after)}"));
        Assert.True(after["encoder_grad_variance"] > 0);
        // Plain REINFORCE (no baseline) is not expected to learn the categorical VAE in 150 steps: at this
        // configuration, seeds 1 to 6 left three of six runs worse than they started (345.7 -> 364.3 nats) while
        // reinforce-loo improved all six. It must still train to finite metrics, as checked above.
        if (task == "categorical-vae" && estimator == "reinforce") return;
        // 150 Adam steps take the synthetic strokes' bound well below where the untrained model starts.
        Assert.True(after["test_neg_log_likelihood"] < before["test_neg_log_likelihood"] - 10,
            $"{task}/{estimator}: test bound {before["test_neg_log_likelihood"]:F1} -> {after["test_neg_log_likelihood"]:F1}");
    }

    [Theory]
    [InlineData("bernoulli-vae", "relax")]
    [InlineData("categorical-vae", "gumbel-rao")]
    [InlineData("poisson-vae", "pwgf")]
    public void A_resumed_session_continues_exactly_where_the_saved_one_was(string task, string estimator)
    {
        (string, object)[] nonlinear = task == "categorical-vae" ? [] : [("architecture", "nonlinear")];
        var configuration = Configuration(task, estimator, steps: 40, options: nonlinear);
        using var straight = Start(configuration);
        Run(straight, 20);
        var expected = Run(straight, 20);

        using var first = Start(configuration);
        Run(first, 20);
        byte[] checkpoint = SessionCheckpoint.Capture(first);
        using var resumed = Start(configuration);
        SessionCheckpoint.Restore(resumed, checkpoint);
        var actual = Run(resumed, 20);

        foreach (var name in expected.Keys.Where(n => n != "steps_per_second")) Assert.Equal(expected[name], actual[name]);
    }

    [Fact]
    public void The_same_configuration_gives_the_same_metrics_and_another_seed_does_not()
    {
        var configuration = Configuration("bernoulli-vae", "disarm", steps: 30);
        using var first = Start(configuration);
        using var second = Start(configuration);
        using var otherSeed = Start(configuration with { Seed = 2 });
        var (a, b, c) = (Run(first, 30), Run(second, 30), Run(otherSeed, 30));

        Assert.Equal(a["test_neg_log_likelihood"], b["test_neg_log_likelihood"]);
        Assert.Equal(a["train_neg_elbo"], b["train_neg_elbo"]);
        Assert.Equal(a["encoder_grad_variance"], b["encoder_grad_variance"]);
        Assert.NotEqual(a["train_neg_elbo"], c["train_neg_elbo"]);
    }
}

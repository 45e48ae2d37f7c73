using Pwgf.Estimators;
using Pwgf.Training;
using Pwgf.Training.Data;
using static TorchSharp.torch;

namespace Pwgf.UnitTests.Training;

/// <summary>Every metric a task records has one definition, and the sessions emit exactly what their tasks declare.</summary>
public sealed class MetricDefinitionTests
{
    [Fact]
    public void Every_task_names_each_metric_once_and_is_scored_by_one_of_them()
    {
        foreach (var task in TaskRegistry.All)
        {
            Assert.Equal(task.MetricNames.Distinct(), task.MetricNames);
            Assert.Contains(task.Score, task.Metrics);
            if (task.Validation is { } validation) Assert.Contains(validation, task.Metrics);
            Assert.All(task.Metrics, m => Assert.False(string.IsNullOrWhiteSpace(m.Title) || string.IsNullOrWhiteSpace(m.Description), m.Name));
        }
    }

    [Fact]
    public void A_metric_is_found_by_task_and_name_with_its_scale_and_direction()
    {
        var logVariance = TaskRegistry.FindMetric("poisson-toy", "grad_log_variance")!;
        Assert.Equal((MetricScale.NaturalLog, true), (logVariance.Scale, logVariance.LowerIsBetter));
        var encoderVariance = TaskRegistry.FindMetric("categorical-vae", "encoder_grad_variance")!;
        Assert.Equal((MetricScale.Log, true), (encoderVariance.Scale, encoderVariance.LowerIsBetter));
        Assert.Equal((MetricScale.Linear, false), (TaskRegistry.FindMetric("bernoulli-toy", "grad_cosine")!.Scale, TaskRegistry.FindMetric("bernoulli-toy", "grad_cosine")!.LowerIsBetter));
        Assert.Null(TaskRegistry.FindMetric("bernoulli-toy", "parameter_mean")!.LowerIsBetter);
        Assert.Equal("nats", TaskRegistry.FindMetric("bernoulli-vae", "test_neg_log_likelihood")!.Unit);

        Assert.Null(TaskRegistry.FindMetric("bernoulli-toy", "test_neg_log_likelihood"));
        Assert.Null(TaskRegistry.FindMetric("no-such-task", "loss"));
    }

    [Theory]
    [InlineData("bernoulli-toy", "reinforce")]
    [InlineData("categorical-toy", "gumbel-softmax")]
    [InlineData("poisson-toy", "pwgf")]
    public void A_toy_session_emits_every_metric_of_its_task_and_nothing_else(string taskName, string estimatorName)
    {
        var task = TaskRegistry.Find(taskName)!;
        var options = ParameterSpec.Resolve(taskName, task.Options, new Dictionary<string, double> { ["diagnosticSamples"] = 50 }, out var problems);
        Assert.Empty(problems);
        var definition = EstimatorRegistry.Find(estimatorName)!;
        var parameters = definition.Resolve(new Dictionary<string, double>(), out _);
        var configuration = new RunConfiguration(taskName, options.Values, estimatorName, parameters.Values, 1, 10,
            new OptimizerSpecification("adam", 0.01), 10, TaskChoices: options.Choices);
        using var session = task.Start(configuration, definition.Build(task.Distribution, parameters.Values), new TaskContext(CPU, new DatasetCatalog(new DatasetOptions())));
        session.Step();

        // grad_cosine and grad_relative_bias are left out where the exact gradient is not resolved (or vanishes), so
        // the session may emit fewer than its task declares, but never a name the task does not declare.
        var emitted = session.Evaluate().Select(m => m.Name).ToList();
        Assert.Superset(new HashSet<string> { "grad_bias_pvalue", "grad_log_variance", "loss", "parameter_mean" }, emitted.ToHashSet());
        Assert.Subset(task.MetricNames.ToHashSet(), emitted.ToHashSet());
    }
}

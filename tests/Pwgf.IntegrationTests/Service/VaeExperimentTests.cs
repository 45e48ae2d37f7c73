using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Pwgf.Client;
using Pwgf.Infrastructure.Entities;
using Pwgf.IntegrationTests.Support;

namespace Pwgf.IntegrationTests.Service;

/// <summary>Tiny versions of the VAE experiments, submitted over HTTP and trained by the real worker.</summary>
[Collection(ServiceCollection.Name)]
public sealed class VaeExperimentTests(ServiceFixture service)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(4);

    /// <summary>A small, fast configuration on the synthetic images (no installed dataset needed).</summary>
    private static string Request(string task, string estimators, string extraOptions = "") => $$$"""
        {"task": "{{{task}}}",
         "taskOptions": {"dataset": "synthetic", "latentDims": 8, "batchSize": 16, "importanceSamples": 20, "evalImages": 50{{{extraOptions}}}},
         "estimators": {{{estimators}}}, "seeds": [3], "steps": 240, "evalEvery": 80,
         "optimizer": {"name": "adam", "learningRate": 0.003}}
        """;

    public static TheoryData<string, string, string> Tasks() => new()
    {
        { "bernoulli-vae", """["st", "disarm"]""", """, "architecture": "nonlinear" """ },
        { "categorical-vae", """["st-gumbel-softmax", "reinmax"]""", """, "classes": 4""" },
        { "poisson-vae", """["pwgf", "exact-diff"]""", "" },
    };

    [Theory]
    [MemberData(nameof(Tasks))]
    public async Task A_tiny_vae_trains_through_the_service_its_bounds_fall_and_a_repeat_reproduces_it(string task, string estimators, string options)
    {
        var firstId = (await service.Api.SubmitAsync(Request(task, estimators, options))).Id;
        var first = await service.WithinAsync(RunTimeout, limit => service.Api.WaitForFinalAsync(firstId, ServiceFixture.Poll, limit));
        Assert.True(first.Status == RunStatus.Succeeded, service.Logs);

        foreach (var run in first.Runs)
        {
            var test = await service.Api.GetRunMetricsAsync(run.Id, "test_neg_log_likelihood");
            var valid = await service.Api.GetRunMetricsAsync(run.Id, "valid_neg_log_likelihood");
            var elbo = await service.Api.GetRunMetricsAsync(run.Id, "train_neg_elbo");
            Assert.Equal([0, 80, 160, 240], test.Points.Select(p => p.Step));
            Assert.Equal([0, 80, 160, 240], valid.Points.Select(p => p.Step));
            Assert.Equal([80, 160, 240], elbo.Points.Select(p => p.Step));
            Assert.True(test.Points[^1].Value < test.Points[0].Value - 10, $"{run.Estimator}: test bound {test.Points[0].Value} -> {test.Points[^1].Value}");
            Assert.True(elbo.Points[^1].Value < elbo.Points[0].Value, $"{run.Estimator}: -ELBO {elbo.Points[0].Value} -> {elbo.Points[^1].Value}");
            Assert.Single((await service.Api.GetRunMetricsAsync(run.Id, "encoder_grad_variance")).Points, p => p.Step == 240);
            Assert.All((await service.Api.GetRunMetricsAsync(run.Id, "steps_per_second")).Points, p => Assert.True(p.Value > 0));
        }

        // The summary scores the final test bound and the test bound at each run's best validation step.
        foreach (var summary in first.Summary)
        {
            var run = first.Runs.Single(r => r.Estimator == summary.Estimator);
            var test = await service.Api.GetRunMetricsAsync(run.Id, "test_neg_log_likelihood");
            var valid = await service.Api.GetRunMetricsAsync(run.Id, "valid_neg_log_likelihood");
            int best = valid.Points.MinBy(p => p.Value)!.Step;
            Assert.Equal(("test_neg_log_likelihood", test.Points[^1].Value), (summary.Metric, summary.FinalScoreMean));
            Assert.NotNull(summary.Rank);
            Assert.Equal(("valid_neg_log_likelihood", (double)best), (summary.BestByValidation!.Metric, summary.BestByValidation.StepMean));
            Assert.Equal(test.Points.Single(p => p.Step == best).Value, summary.BestByValidation.ScoreMean);
        }

        // The same request again: every metric but the wall-clock speed is identical, bit for bit.
        var secondId = (await service.Api.SubmitAsync(Request(task, estimators, options))).Id;
        var second = await service.WithinAsync(RunTimeout, limit => service.Api.WaitForFinalAsync(secondId, ServiceFixture.Poll, limit));
        Assert.Equal(RunStatus.Succeeded, second.Status);
        foreach (var (a, b) in first.Runs.Zip(second.Runs))
        {
            Assert.Equal(a.ConfigHash, b.ConfigHash);
            foreach (string metric in new[] { "train_neg_elbo", "valid_neg_log_likelihood", "test_neg_log_likelihood", "encoder_grad_variance" })
            {
                var (x, y) = (await service.Api.GetRunMetricsAsync(a.Id, metric), await service.Api.GetRunMetricsAsync(b.Id, metric));
                Assert.Equal(x.Points, y.Points);
            }
        }
    }

    [Fact]
    public async Task The_task_catalogue_offers_datasets_and_architectures_as_choices_with_the_vae_learning_rate()
    {
        var tasks = await service.Api.ListTasksAsync();
        var vae = tasks.Single(t => t.Name == "bernoulli-vae");

        var dataset = vae.Options.Single(o => o.Name == "dataset");
        Assert.Equal(("choice", "fashion-mnist"), (dataset.Kind, ((JsonElement)dataset.Default).GetString()));
        Assert.Equal(["fashion-mnist", "mnist", "idx", "synthetic"], dataset.Choices!);
        Assert.Equal(["linear", "nonlinear"], vae.Options.Single(o => o.Name == "architecture").Choices!);
        Assert.Equal(200.0, ((JsonElement)vae.Options.Single(o => o.Name == "latentDims").Default).GetDouble());
        Assert.Equal((0.001, "test_neg_log_likelihood", "valid_neg_log_likelihood"), (vae.DefaultLearningRate, vae.ScoreMetric, vae.ValidationMetric));
        Assert.DoesNotContain("exact", vae.Estimators);
        Assert.Contains("disarm", vae.Estimators);
        Assert.Equal(new[] { "exact-diff", "reinforce", "reinforce-loo", "st", "pwgf", "eat", "gengs", "nvil", "leg", "st-eat", "vimco" }.Order(),
            tasks.Single(t => t.Name == "poisson-vae").Estimators.Order());
    }

    [Theory]
    [InlineData("""{"dataset": "cifar"}""", "taskOptions.dataset", "must be one of: fashion-mnist, mnist, idx, synthetic")]
    [InlineData("""{"architecture": "deep"}""", "taskOptions.architecture", "must be one of: linear, nonlinear")]
    [InlineData("""{"dataset": 3}""", "taskOptions.dataset", "must be one of")]
    [InlineData("""{"latentDims": "many"}""", "taskOptions.latentDims", "is a number, not text")]
    [InlineData("""{"dataset": "idx"}""", "taskOptions.dataset", "'idx' is not installed here")]
    [InlineData("""{"importanceSamples": 0}""", "taskOptions.importanceSamples", "between 1 and 1000")]
    public async Task Bad_vae_options_are_refused_by_field_and_create_nothing(string options, string field, string message)
    {
        int before = (await service.Api.ListComparisonsAsync()).Total;
        using var response = await service.Client.PostAsync("/api/v1/comparisons", ServiceFixture.Body($$"""
            {"task": "bernoulli-vae", "taskOptions": {{options}}, "estimators": ["st"], "seeds": [1], "steps": 10}
            """));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<ValidationProblemDetailsDto>(PwgfClient.Json))!;
        Assert.Contains(problem.Errors[field], m => m.Contains(message, StringComparison.Ordinal));
        Assert.Equal(before, (await service.Api.ListComparisonsAsync()).Total);
    }

    private sealed record ValidationProblemDetailsDto(string Title, int Status, Dictionary<string, string[]> Errors);
}

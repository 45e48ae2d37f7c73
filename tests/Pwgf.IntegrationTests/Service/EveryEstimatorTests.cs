using System.Net;
using System.Text.Json;
using Pwgf.Infrastructure.Entities;
using Pwgf.IntegrationTests.Support;

namespace Pwgf.IntegrationTests.Service;

/// <summary>
/// Comparison jobs accept every estimator the catalogue offers for a task (the issue-17 names pinned), the new
/// estimators train the VAE tasks that accept them, and the categorical toy works.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class EveryEstimatorTests(ServiceFixture service)
{
    /// <param name="added">Names added for issue 17 that the task must offer (and so this comparison must train).</param>
    [Theory]
    [InlineData("bernoulli-toy", "nvil muprop arms leg")]
    [InlineData("categorical-toy", "nvil muprop disarm leg rebar relax unordered-set")]
    [InlineData("poisson-toy", "nvil leg st-eat")]
    public async Task Every_estimator_the_catalogue_lists_for_a_toy_task_trains_to_completion(string task, string added)
    {
        var tasks = await service.Api.ListTasksAsync();
        var estimators = tasks.Single(t => t.Name == task).Estimators;
        Assert.Superset(added.Split(' ').ToHashSet(), estimators.ToHashSet());
        Assert.DoesNotContain("vimco", estimators); // it needs a model's p(x, z), which a toy does not have

        var accepted = await service.Api.SubmitAsync(JsonSerializer.Serialize(new
        {
            task,
            estimators,
            seeds = new[] { 1 },
            steps = 30,
            evalEvery = 10,
        }));
        var comparison = await service.WithinAsync(TimeSpan.FromMinutes(3), limit => service.Api.WaitForFinalAsync(accepted.Id, ServiceFixture.Poll, limit));

        Assert.True(comparison.Status == RunStatus.Succeeded,
            string.Join("; ", comparison.Runs.Where(r => r.Status != RunStatus.Succeeded).Select(r => $"{r.Estimator}: {r.Error}")));
        Assert.Equal(estimators.Count, comparison.Runs.Count);
        foreach (var run in comparison.Runs)
        {
            var loss = await service.Api.GetRunMetricsAsync(run.Id, "loss");
            Assert.Equal([0, 10, 20, 30], loss.Points.Select(p => p.Step));
            Assert.All(loss.Points, p => Assert.True(double.IsFinite(p.Value), $"{run.Estimator}: loss {p.Value}"));
        }
    }

    /// <summary>A small configuration on the synthetic images (no installed dataset needed).</summary>
    [Theory]
    [InlineData("bernoulli-vae", """["nvil", "muprop", "arms", "leg", "vimco"]""", "")]
    [InlineData("categorical-vae", """["nvil", "muprop", "disarm", "leg", "rebar", "relax", "unordered-set", "vimco"]""", """, "classes": 4""")]
    [InlineData("poisson-vae", """["nvil", "leg", "st-eat", "vimco"]""", "")]
    public async Task The_estimators_added_for_issue_17_train_each_vae_task_that_accepts_them(string task, string estimators, string options)
    {
        var accepted = await service.Api.SubmitAsync($$$"""
            {"task": "{{{task}}}",
             "taskOptions": {"dataset": "synthetic", "latentDims": 6, "batchSize": 8, "importanceSamples": 5, "evalImages": 20{{{options}}}},
             "estimators": {{{estimators}}}, "seeds": [2], "steps": 20, "evalEvery": 10}
            """);
        var comparison = await service.WithinAsync(TimeSpan.FromMinutes(4), limit => service.Api.WaitForFinalAsync(accepted.Id, ServiceFixture.Poll, limit));

        Assert.True(comparison.Status == RunStatus.Succeeded,
            string.Join("; ", comparison.Runs.Where(r => r.Status != RunStatus.Succeeded).Select(r => $"{r.Estimator}: {r.Error}")));
        Assert.Equal(JsonSerializer.Deserialize<string[]>(estimators)!.Order(), comparison.Runs.Select(r => r.Estimator).Order());
        foreach (var run in comparison.Runs)
        {
            var bound = await service.Api.GetRunMetricsAsync(run.Id, "test_neg_log_likelihood");
            var elbo = await service.Api.GetRunMetricsAsync(run.Id, "train_neg_elbo");
            Assert.Equal([0, 10, 20], bound.Points.Select(p => p.Step));
            Assert.All(bound.Points.Concat(elbo.Points), p => Assert.True(double.IsFinite(p.Value), $"{run.Estimator}: {p.Value} at {p.Step}"));
        }
    }

    [Fact]
    public async Task Vimco_is_listed_for_every_family_and_offered_by_the_vae_tasks_alone()
    {
        var estimators = await service.Api.ListEstimatorsAsync();
        var tasks = await service.Api.ListTasksAsync();

        var vimco = estimators.Single(e => e.Name == "vimco");
        Assert.Equal(["bernoulli", "categorical", "poisson"], vimco.Distributions.Order());
        Assert.Equal(5, ((JsonElement)vimco.Parameters.Single(p => p.Name == "samples").Default).GetDouble());
        Assert.Equal(["bernoulli-vae", "categorical-vae", "poisson-vae"], tasks.Where(t => t.Estimators.Contains("vimco")).Select(t => t.Name).Order());
    }

    [Fact]
    public async Task Vimco_on_a_toy_task_is_refused_with_a_problem_naming_the_estimator_and_the_reason()
    {
        using var response = await service.Client.PostAsync("/api/v1/comparisons", ServiceFixture.Body("""
            {"task": "bernoulli-toy", "estimators": ["st", {"name": "vimco", "samples": 3}], "seeds": [1], "steps": 5}
            """));
        string body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        using var problem = JsonDocument.Parse(body);
        var messages = problem.RootElement.GetProperty("errors").GetProperty("estimators[1]").EnumerateArray().Select(m => m.GetString()!).ToList();
        Assert.Contains(messages, m => m.Contains("'vimco' cannot run on 'bernoulli-toy'") && m.Contains("p(x, z)"));
    }

    [Fact]
    public async Task A_categorical_toy_with_a_cost_vector_moves_its_mass_to_the_cheapest_class()
    {
        var accepted = await service.Api.SubmitAsync("""
            {"task": "categorical-toy", "taskOptions": {"dims": 2, "classes": 4, "costs": [3, 0.5, 2, 1], "batchSize": 8},
             "estimators": ["exact", "reinforce-loo"], "seeds": [4], "steps": 400,
             "optimizer": {"name": "adam", "learningRate": 0.1}, "evalEvery": 100}
            """);
        var comparison = await service.WithinAsync(TimeSpan.FromMinutes(3), limit => service.Api.WaitForFinalAsync(accepted.Id, ServiceFixture.Poll, limit));
        Assert.Equal(RunStatus.Succeeded, comparison.Status);

        foreach (var run in comparison.Runs)
        {
            // The loss starts at the mean cost 1.625 and approaches the cheapest, 0.5 (expected class index 1).
            var loss = await service.Api.GetRunMetricsAsync(run.Id, "loss");
            Assert.Equal(1.625, loss.Points[0].Value, 1e-12);
            Assert.InRange(loss.Points[^1].Value, 0.5, 0.6);
            var classIndex = await service.Api.GetRunMetricsAsync(run.Id, "parameter_mean");
            Assert.InRange(classIndex.Points[^1].Value, 0.9, 1.2);
        }
    }

    [Fact]
    public async Task A_cost_vector_of_the_wrong_length_is_refused()
    {
        using var response = await service.Client.PostAsync("/api/v1/comparisons", ServiceFixture.Body("""
            {"task": "categorical-toy", "taskOptions": {"classes": 3, "costs": [1, 2]}, "estimators": ["st"], "seeds": [1], "steps": 5}
            """));
        string body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("taskOptions.costs", body);
    }
}

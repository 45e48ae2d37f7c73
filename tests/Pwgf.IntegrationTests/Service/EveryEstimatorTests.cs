using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Pwgf.Api.Catalog;
using Pwgf.Infrastructure.Entities;
using Pwgf.IntegrationTests.Support;

namespace Pwgf.IntegrationTests.Service;

/// <summary>Comparison jobs accept every estimator the catalogue offers for a task, and the categorical toy works.</summary>
[Collection(ServiceCollection.Name)]
public sealed class EveryEstimatorTests(ServiceFixture service)
{
    [Theory]
    [InlineData("bernoulli-toy")]
    [InlineData("categorical-toy")]
    [InlineData("poisson-toy")]
    public async Task Every_estimator_the_catalogue_lists_for_a_toy_task_trains_to_completion(string task)
    {
        var tasks = (await service.Client.GetFromJsonAsync<List<TaskDescription>>("/api/v1/tasks", ServiceFixture.Json))!;
        var estimators = tasks.Single(t => t.Name == task).Estimators;

        var accepted = await service.SubmitAsync(JsonSerializer.Serialize(new
        {
            task,
            estimators,
            seeds = new[] { 1 },
            steps = 30,
            evalEvery = 10,
        }));
        var comparison = await service.WaitForFinalAsync(accepted.Id, TimeSpan.FromMinutes(3));

        Assert.True(comparison.Status == RunStatus.Succeeded,
            string.Join("; ", comparison.Runs.Where(r => r.Status != RunStatus.Succeeded).Select(r => $"{r.Estimator}: {r.Error}")));
        Assert.Equal(estimators.Count, comparison.Runs.Count);
        foreach (var run in comparison.Runs)
        {
            var loss = await service.GetMetricAsync(run.Id, "loss");
            Assert.Equal([0, 10, 20, 30], loss.Points.Select(p => p.Step));
            Assert.All(loss.Points, p => Assert.True(double.IsFinite(p.Value), $"{run.Estimator}: loss {p.Value}"));
        }
    }

    [Fact]
    public async Task A_categorical_toy_with_a_cost_vector_moves_its_mass_to_the_cheapest_class()
    {
        var accepted = await service.SubmitAsync("""
            {"task": "categorical-toy", "taskOptions": {"dims": 2, "classes": 4, "costs": [3, 0.5, 2, 1], "batchSize": 8},
             "estimators": ["exact", "reinforce-loo"], "seeds": [4], "steps": 400,
             "optimizer": {"name": "adam", "learningRate": 0.1}, "evalEvery": 100}
            """);
        var comparison = await service.WaitForFinalAsync(accepted.Id, TimeSpan.FromMinutes(3));
        Assert.Equal(RunStatus.Succeeded, comparison.Status);

        foreach (var run in comparison.Runs)
        {
            // The loss starts at the mean cost 1.625 and approaches the cheapest, 0.5 (expected class index 1).
            var loss = await service.GetMetricAsync(run.Id, "loss");
            Assert.Equal(1.625, loss.Points[0].Value, 1e-12);
            Assert.InRange(loss.Points[^1].Value, 0.5, 0.6);
            var classIndex = await service.GetMetricAsync(run.Id, "parameter_mean");
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

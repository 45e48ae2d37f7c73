using System.Net;
using System.Text.Json;
using Pwgf.Api.Catalog;
using Pwgf.IntegrationTests.Support;

namespace Pwgf.IntegrationTests.Service;

[Collection(ServiceCollection.Name)]
public sealed class CatalogAndHealthTests(ServiceFixture service)
{
    [Fact]
    public async Task The_estimator_catalogue_lists_parameters_defaults_and_distributions()
    {
        var estimators = await service.Api.ListEstimatorsAsync();

        var loo = estimators.Single(e => e.Name == "reinforce-loo");
        var samples = Assert.Single(loo.Parameters);
        Assert.Equal(("samples", "integer", 2.0, 2.0), (samples.Name, samples.Kind, ((JsonElement)samples.Default).GetDouble(), samples.Minimum));
        Assert.Contains("poisson", estimators.Single(e => e.Name == "pwgf").Distributions);
        // vimco needs a model's importance weights (the dashboard's audit form leaves it out); reinforce does not.
        Assert.Equal((true, false), (estimators.Single(e => e.Name == "vimco").NeedsImportanceWeights, estimators.Single(e => e.Name == "reinforce").NeedsImportanceWeights));
        Assert.Superset(new HashSet<string> { "st", "pwgf", "reinforce-loo", "exact" }, estimators.Select(e => e.Name).ToHashSet());
    }

    [Fact]
    public async Task The_task_catalogue_lists_options_metrics_and_usable_estimators()
    {
        var tasks = await service.Api.ListTasksAsync();

        var poisson = tasks.Single(t => t.Name == "poisson-toy");
        Assert.Equal("poisson", poisson.Distribution);
        Assert.Equal(3.4, ((JsonElement)poisson.Options.Single(o => o.Name == "target").Default).GetDouble());
        Assert.Contains("parameter_mean", poisson.Metrics);
        Assert.Contains("pwgf", poisson.Estimators);
        Assert.Equal("bernoulli", tasks.Single(t => t.Name == "bernoulli-toy").Distribution);
    }

    [Fact]
    public async Task The_task_catalogue_defines_every_metric_of_every_task()
    {
        var tasks = await service.Api.ListTasksAsync();

        Assert.All(tasks, t => Assert.Equal(t.Metrics, t.MetricDefinitions.Select(d => d.Name)));
        var toy = tasks.Single(t => t.Name == "bernoulli-toy").MetricDefinitions;
        var logVariance = toy.Single(d => d.Name == "grad_log_variance");
        Assert.Equal(("naturalLog", true), (logVariance.Scale, logVariance.LowerIsBetter));
        Assert.Equal(("linear", false), (toy.Single(d => d.Name == "grad_cosine").Scale, toy.Single(d => d.Name == "grad_cosine").LowerIsBetter));
        Assert.Null(toy.Single(d => d.Name == "parameter_mean").LowerIsBetter);
        var vae = tasks.Single(t => t.Name == "poisson-vae").MetricDefinitions;
        Assert.Equal(("log", "nats"), (vae.Single(d => d.Name == "encoder_grad_variance").Scale, vae.Single(d => d.Name == "test_neg_log_likelihood").Unit));
        Assert.All(tasks.SelectMany(t => t.MetricDefinitions), d => Assert.False(string.IsNullOrWhiteSpace(d.Title) || string.IsNullOrWhiteSpace(d.Description)));

        using var raw = JsonDocument.Parse(await service.Client.GetStringAsync("/api/v1/tasks"));
        var first = raw.RootElement[0].GetProperty("metricDefinitions")[0];
        Assert.Equal(["name", "title", "unit", "scale", "lowerIsBetter", "description"], first.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task The_dataset_catalogue_says_what_this_machine_has()
    {
        using var anonymous = service.ApiWithKey(null);
        var datasets = await anonymous.ListDatasetsAsync();

        Assert.Equal(["fashion-mnist", "mnist", "idx", "synthetic"], datasets.Select(d => d.Name));
        Assert.True(datasets.Single(d => d.Name == "synthetic").Available);
        var fashion = datasets.Single(d => d.Name == "fashion-mnist");
        Assert.Equal(File.Exists("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"), fashion.Available);
        Assert.Equal((50_000, 10_000, 10_000), (fashion.TrainImages, fashion.ValidationImages, fashion.TestImages));
        var idx = datasets.Single(d => d.Name == "idx");
        Assert.False(idx.Available);
        Assert.Contains("Datasets__IdxTrainImages", idx.Missing);
    }

    [Fact]
    public async Task Health_swagger_and_the_local_dashboard_answer()
    {
        Assert.Equal(HttpStatusCode.OK, (await service.Client.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await service.Client.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await service.Client.GetAsync("/swagger/index.html")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await service.Client.GetAsync("/hangfire")).StatusCode);

        using var document = JsonDocument.Parse(await service.Client.GetStringAsync("/swagger/v1/swagger.json"));
        var paths = document.RootElement.GetProperty("paths");
        foreach (string path in new[] { "/api/v1/comparisons", "/api/v1/comparisons/{id}", "/api/v1/runs/{id}/metrics", "/api/v1/estimators", "/api/v1/tasks" })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"swagger lacks {path}");
        }
    }
}

using System.Net;
using System.Text.Json;
using Pwgf.Api.Comparisons;
using Pwgf.Api.Series;
using Pwgf.Infrastructure.Entities;
using Pwgf.IntegrationTests.Support;

namespace Pwgf.IntegrationTests.Service;

/// <summary>
/// GET /api/v1/comparisons/{id}/metrics and the maxPoints thinning of metric series, on a finished toy comparison
/// whose runs record every step (201 points per series).
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class ComparisonMetricsTests(ServiceFixture service)
{
    private const int Steps = 200;

    private async Task<ComparisonDetails> FinishedComparisonAsync()
    {
        var accepted = await service.Api.SubmitAsync($$"""
            {"task": "poisson-toy", "taskOptions": {"dims": 2, "batchSize": 4, "diagnosticSamples": 10},
             "estimators": ["st", "pwgf"], "seeds": [1, 2], "steps": {{Steps}}, "evalEvery": 1}
            """);
        var comparison = await service.WithinAsync(TimeSpan.FromMinutes(3), limit => service.Api.WaitForFinalAsync(accepted.Id, ServiceFixture.Poll, limit));
        Assert.Equal(RunStatus.Succeeded, comparison.Status);
        return comparison;
    }

    [Fact]
    public async Task One_request_returns_every_runs_series_in_request_order_and_afterStep_trims_them_all()
    {
        var comparison = await FinishedComparisonAsync();

        var all = await service.Api.GetComparisonMetricsAsync(comparison.Id, "loss");
        Assert.Equal((comparison.Id, "loss"), (all.ComparisonId, all.Name));
        Assert.Equal(comparison.Runs.Select(r => (r.Id, r.Estimator, r.Seed)), all.Runs.Select(r => (r.RunId, r.Estimator, r.Seed)));
        foreach (var run in all.Runs)
        {
            // The same points the per-run endpoint gives.
            Assert.Equal((await service.Api.GetRunMetricsAsync(run.RunId, "loss")).Points, run.Points);
            Assert.Equal(Enumerable.Range(0, Steps + 1), run.Points.Select(p => p.Step));
        }

        var later = await service.Api.GetComparisonMetricsAsync(comparison.Id, "loss", afterStep: 150);
        Assert.All(later.Runs, run => Assert.Equal(Enumerable.Range(151, Steps - 150), run.Points.Select(p => p.Step)));
        var none = await service.Api.GetComparisonMetricsAsync(comparison.Id, "loss", afterStep: Steps);
        Assert.All(none.Runs, run => Assert.Empty(run.Points));
    }

    [Fact]
    public async Task maxPoints_keeps_first_and_last_spreads_the_rest_over_the_steps_and_keeps_seeds_aligned()
    {
        var comparison = await FinishedComparisonAsync();
        var run = comparison.Runs[0];
        var full = (await service.Api.GetRunMetricsAsync(run.Id, "loss")).Points;

        foreach (int maxPoints in new[] { 2, 3, 17, 50, 200 })
        {
            var thinned = (await service.Api.GetRunMetricsAsync(run.Id, "loss", maxPoints: maxPoints)).Points;
            Assert.InRange(thinned.Count, 2, maxPoints);
            // PostgreSQL thins long series itself; it keeps exactly the points the in-memory rule keeps.
            Assert.Equal(Pwgf.Api.Series.SeriesThinning.Thin(full, maxPoints), thinned);
            Assert.Equal((0, Steps), (thinned[0].Step, thinned[^1].Step));
            Assert.Subset(full.ToHashSet(), thinned.ToHashSet());
            Assert.Equal(thinned.OrderBy(p => p.Step), thinned);
            // Evenly spread: no gap much wider than the even spacing, none narrower than half of it.
            double spacing = (double)Steps / (maxPoints - 1);
            var gaps = thinned.Zip(thinned.Skip(1), (a, b) => b.Step - a.Step).ToList();
            Assert.All(gaps, gap => Assert.InRange(gap, Math.Floor(spacing / 2), Math.Ceiling(spacing) + 1));
        }
        Assert.Equal([0, Steps], (await service.Api.GetRunMetricsAsync(run.Id, "loss", maxPoints: 2)).Points.Select(p => p.Step));

        // A series no longer than maxPoints comes back whole.
        var whole = await service.Api.GetRunMetricsAsync(run.Id, "loss", maxPoints: Steps + 1);
        Assert.Equal(full, whole.Points);

        // Comparison-wide, every run keeps the same steps, so seeds can be averaged step by step.
        var together = await service.Api.GetComparisonMetricsAsync(comparison.Id, "loss", maxPoints: 25);
        var steps = together.Runs[0].Points.Select(p => p.Step).ToList();
        Assert.InRange(steps.Count, 2, 25);
        Assert.Equal((0, Steps), (steps[0], steps[^1]));
        Assert.All(together.Runs, r => Assert.Equal(steps, r.Points.Select(p => p.Step)));
        var fullSeries = new List<IReadOnlyList<MetricPointDto>>();
        foreach (var r in comparison.Runs) fullSeries.Add((await service.Api.GetRunMetricsAsync(r.Id, "loss")).Points);
        Assert.Equal(Pwgf.Api.Series.SeriesThinning.ThinTogether(fullSeries, 25), together.Runs.Select(r => r.Points));
    }

    [Fact]
    public async Task A_maxPoints_outside_2_to_10000_is_a_400_naming_the_field()
    {
        // Checked before anything is read, so the runs need not have trained.
        var accepted = await service.Api.SubmitAsync("""{"task": "poisson-toy", "estimators": ["st"], "seeds": [1], "steps": 1}""");
        var run = Assert.Single((await service.Api.GetComparisonAsync(accepted.Id)).Runs);

        foreach (string maxPoints in new[] { "0", "1", "-3", "10001" })
        {
            foreach (string url in new[]
                     {
                         $"/api/v1/runs/{run.Id}/metrics?name=loss&maxPoints={maxPoints}",
                         $"/api/v1/comparisons/{accepted.Id}/metrics?name=loss&maxPoints={maxPoints}",
                     })
            {
                var errors = await ValidationErrorsAsync(url);
                Assert.Equal("Must be between 2 and 10000.", Assert.Single(errors.GetProperty("maxPoints").EnumerateArray()).GetString());
            }
        }

        // Not a number at all: the binding failure says which parameter.
        using var notANumber = await service.Client.GetAsync($"/api/v1/runs/{run.Id}/metrics?name=loss&maxPoints=many");
        Assert.Equal(HttpStatusCode.BadRequest, notANumber.StatusCode);
        Assert.Contains("maxPoints", await notANumber.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_comparison_endpoint_explains_missing_or_unknown_names_and_unknown_comparisons()
    {
        var comparison = await FinishedComparisonAsync();
        string url = $"/api/v1/comparisons/{comparison.Id}/metrics";

        var missing = await ValidationErrorsAsync(url);
        Assert.Contains("grad_log_variance", missing.GetProperty("name")[0].GetString());
        var unknown = await ValidationErrorsAsync($"{url}?name=test_neg_log_likelihood&maxPoints=1");
        Assert.Contains("not a metric of this comparison", unknown.GetProperty("name")[0].GetString());
        Assert.True(unknown.TryGetProperty("maxPoints", out _), "both bad fields are reported at once");

        using var notFound = await service.Client.GetAsync($"/api/v1/comparisons/{Guid.NewGuid()}/metrics?name=loss");
        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
        Assert.Equal("application/problem+json", notFound.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task The_comparison_endpoint_answers_304_to_its_current_tag()
    {
        var comparison = await FinishedComparisonAsync();
        string url = $"/api/v1/comparisons/{comparison.Id}/metrics?name=grad_cosine&maxPoints=40";

        using var first = await service.Client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        string tag = first.Headers.ETag!.ToString();

        using var again = new HttpRequestMessage(HttpMethod.Get, url);
        again.Headers.TryAddWithoutValidation("If-None-Match", tag);
        using var notModified = await service.Client.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Equal(tag, notModified.Headers.ETag!.ToString());

        // Other parameters, other representation: the tag does not carry over.
        using var other = await service.Client.GetAsync($"/api/v1/comparisons/{comparison.Id}/metrics?name=grad_cosine&maxPoints=41");
        Assert.NotEqual(tag, other.Headers.ETag!.ToString());
    }

    private async Task<JsonElement> ValidationErrorsAsync(string url)
    {
        using var response = await service.Client.GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return problem.RootElement.GetProperty("errors").Clone();
    }
}

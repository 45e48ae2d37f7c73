using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Pwgf.Api.Catalog;
using Pwgf.Api.Series;
using Pwgf.Client;
using Pwgf.Infrastructure.Entities;
using Pwgf.IntegrationTests.Support;

namespace Pwgf.IntegrationTests.Service;

/// <summary>
/// GET /api/v1/comparisons/{id}/bands: the service's across-seed means and standard errors, checked against the same
/// statistics worked out here with plain arithmetic from every run's raw series.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class ComparisonBandsTests(ServiceFixture service)
{
    private const int Steps = 120;
    private const int EvalEvery = 10;

    [Fact]
    public async Task Bands_are_the_mean_and_standard_error_over_seeds_of_the_raw_series_in_the_definitions_axis_units()
    {
        var accepted = await service.Api.SubmitAsync($$"""
            {"task": "poisson-toy", "taskOptions": {"dims": 2, "batchSize": 4, "diagnosticSamples": 20},
             "estimators": ["st", "pwgf"], "seeds": [1, 2, 3], "steps": {{Steps}}, "evalEvery": {{EvalEvery}}}
            """);
        var comparison = await service.WithinAsync(TimeSpan.FromMinutes(3), limit => service.Api.WaitForFinalAsync(accepted.Id, ServiceFixture.Poll, limit));
        Assert.Equal(RunStatus.Succeeded, comparison.Status);
        using var client = new PwgfClient(service.Client);
        var definitions = (await client.ListTasksAsync()).Single(t => t.Name == "poisson-toy").MetricDefinitions;

        // loss is stored as it is drawn; grad_log_variance stores ln(variance), drawn in log10 units: ln x / ln 10.
        foreach (var (metric, axis, toAxis) in new (string, string, Func<double, double>)[]
        {
            ("loss", "linear", v => v),
            ("grad_log_variance", "log10", v => v / Math.Log(10)),
        })
        {
            var bands = await client.GetComparisonBandsAsync(comparison.Id, metric);
            Assert.Equal(comparison.Id, bands.ComparisonId);
            Assert.Equal(definitions.Single(d => d.Name == metric), bands.Metric);
            Assert.Equal(axis, bands.Axis);

            var expected = await ReferenceBandsAsync(comparison.Runs.Select(r => (r.Id, r.Estimator)).ToList(), metric, toAxis);
            Assert.Equal(["st", "pwgf"], bands.Estimators.Select(b => b.Estimator));
            foreach (var band in bands.Estimators)
            {
                Assert.Equal(3, band.Seeds);
                var reference = expected[band.Estimator];
                Assert.Equal(reference.Select(r => r.Step), band.Points.Select(p => p.Step));
                Assert.Equal(Enumerable.Range(0, Steps / EvalEvery + 1).Select(i => i * EvalEvery), band.Points.Select(p => p.Step));
                foreach (var (point, want) in band.Points.Zip(reference))
                {
                    Assert.Equal(3, point.Seeds);
                    AssertClose(want.Mean, point.Mean, metric, point.Step);
                    AssertClose(want.StandardError, point.StandardError!.Value, metric, point.Step);
                }
            }

            // Later steps only; and thinned onto shared steps, each kept step still carries that step's statistics.
            var later = await client.GetComparisonBandsAsync(comparison.Id, metric, afterStep: 60);
            Assert.All(later.Estimators, band =>
            {
                Assert.Equal(Enumerable.Range(7, 6).Select(i => i * EvalEvery), band.Points.Select(p => p.Step));
                foreach (var point in band.Points) AssertClose(expected[band.Estimator].Single(r => r.Step == point.Step).Mean, point.Mean, metric, point.Step);
            });
            var thinned = await client.GetComparisonBandsAsync(comparison.Id, metric, maxPoints: 4);
            Assert.All(thinned.Estimators, band =>
            {
                Assert.InRange(band.Points.Count, 2, 4);
                Assert.Equal((0, Steps), (band.Points[0].Step, band.Points[^1].Step));
                Assert.All(band.Points, point => Assert.Equal(3, point.Seeds));
                foreach (var point in band.Points) AssertClose(expected[band.Estimator].Single(r => r.Step == point.Step).Mean, point.Mean, metric, point.Step);
            });
        }

        // Conditional GET: the tag holds while no run stores a new point.
        string url = $"/api/v1/comparisons/{comparison.Id}/bands?metric=loss";
        using var first = await service.Client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        using var again = new HttpRequestMessage(HttpMethod.Get, url);
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var unchanged = await service.Client.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, unchanged.StatusCode);
        Assert.Empty(await unchanged.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Unknown_comparisons_are_404_and_missing_or_foreign_metrics_and_bad_maxPoints_are_400_naming_the_field()
    {
        // The exact gradient has no variance, so its runs never record grad_log_variance.
        var accepted = await service.Api.SubmitAsync("""{"task": "poisson-toy", "estimators": ["exact"], "seeds": [1], "steps": 20, "evalEvery": 10}""");
        await service.WithinAsync(TimeSpan.FromMinutes(3), limit => service.Api.WaitForFinalAsync(accepted.Id, ServiceFixture.Poll, limit));
        string bands = $"/api/v1/comparisons/{accepted.Id}/bands";

        await AssertProblemAsync($"/api/v1/comparisons/{Guid.NewGuid()}/bands?metric=loss", HttpStatusCode.NotFound, null);
        await AssertProblemAsync(bands, HttpStatusCode.BadRequest, "metric");
        await AssertProblemAsync($"{bands}?metric=test_neg_log_likelihood", HttpStatusCode.BadRequest, "metric");
        await AssertProblemAsync($"{bands}?metric=no_such_metric", HttpStatusCode.BadRequest, "metric");
        await AssertProblemAsync($"{bands}?metric=loss&maxPoints=1", HttpStatusCode.BadRequest, "maxPoints");

        using var client = new PwgfClient(service.Client);
        var none = await client.GetComparisonBandsAsync(accepted.Id, "grad_log_variance");
        Assert.Empty(none.Estimators);
        var one = await client.GetComparisonBandsAsync(accepted.Id, "loss");
        // A single seed: a mean and no standard error.
        Assert.All(Assert.Single(one.Estimators).Points, point => Assert.Equal((1, (double?)null), (point.Seeds, point.StandardError)));
    }

    private sealed record ReferencePoint(int Step, double Mean, double StandardError);

    /// <summary>Per estimator and step, the mean of the seeds' values and their sample standard deviation over sqrt(n).</summary>
    private async Task<Dictionary<string, List<ReferencePoint>>> ReferenceBandsAsync(
        IReadOnlyList<(Guid Run, string Estimator)> runs, string metric, Func<double, double> toAxis)
    {
        var values = new Dictionary<string, SortedDictionary<int, List<double>>>();
        foreach (var (run, estimator) in runs)
        {
            using var response = await service.Client.GetAsync($"/api/v1/runs/{run}/metrics?name={metric}");
            response.EnsureSuccessStatusCode();
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            foreach (var point in json.RootElement.GetProperty("points").EnumerateArray())
            {
                int step = point.GetProperty("step").GetInt32();
                double value = toAxis(point.GetProperty("value").GetDouble());
                if (!values.TryGetValue(estimator, out var byStep)) values[estimator] = byStep = [];
                if (!byStep.TryGetValue(step, out var atStep)) byStep[step] = atStep = [];
                atStep.Add(value);
            }
        }
        return values.ToDictionary(e => e.Key, e => e.Value.Select(s =>
        {
            double sum = 0;
            foreach (double v in s.Value) sum += v;
            double mean = sum / s.Value.Count;
            double squares = 0;
            foreach (double v in s.Value) squares += (v - mean) * (v - mean);
            return new ReferencePoint(s.Key, mean, Math.Sqrt(squares / (s.Value.Count - 1) / s.Value.Count));
        }).ToList());
    }

    private static void AssertClose(double expected, double actual, string metric, int step) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-9 * Math.Max(1, Math.Abs(expected)),
            $"{metric} at step {step}: expected {expected:R}, the service said {actual:R}");

    private async Task AssertProblemAsync(string url, HttpStatusCode status, string? field)
    {
        using var response = await service.Client.GetAsync(url);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        if (field is not null) Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), $"{url}: no error for {field}");
    }
}

using System.Buffers.Binary;
using System.Net;
using System.Text.Json;
using Pwgf.Infrastructure.Entities;
using Pwgf.IntegrationTests.Support;

namespace Pwgf.IntegrationTests.Service;

/// <summary>GET /api/v1/comparisons/{id}/plots/{metric}.png: real PNGs from ScottPlot, and the cases with nothing to draw.</summary>
[Collection(ServiceCollection.Name)]
public sealed class PlotTests(ServiceFixture service)
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    [Fact]
    public async Task A_finished_comparison_is_drawn_as_a_png_of_the_requested_size()
    {
        // Two seeds, so there is a band; grad_log_variance goes on a log axis.
        var accepted = await service.Api.SubmitAsync("""
            {"task": "poisson-toy", "taskOptions": {"dims": 2, "diagnosticSamples": 50},
             "estimators": ["st", "pwgf"], "seeds": [1, 2], "steps": 200, "evalEvery": 10}
            """);
        var comparison = await service.WithinAsync(TimeSpan.FromMinutes(3), limit => service.Api.WaitForFinalAsync(accepted.Id, ServiceFixture.Poll, limit));
        Assert.Equal(RunStatus.Succeeded, comparison.Status);

        var (loss, tag) = await GetPngAsync($"/api/v1/comparisons/{accepted.Id}/plots/loss.png");
        Assert.Equal((960, 540), Dimensions(loss));
        var (variance, _) = await GetPngAsync($"/api/v1/comparisons/{accepted.Id}/plots/grad_log_variance.png?width=640&height=400");
        Assert.Equal((640, 400), Dimensions(variance));

        using var again = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/comparisons/{accepted.Id}/plots/loss.png");
        again.Headers.TryAddWithoutValidation("If-None-Match", tag);
        using var notModified = await service.Client.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
    }

    [Fact]
    public async Task Unknown_comparisons_unknown_metrics_and_metrics_without_points_are_404_and_bad_sizes_400()
    {
        // The exact gradient has no variance, so its runs never record grad_log_variance.
        var accepted = await service.Api.SubmitAsync("""{"task": "poisson-toy", "estimators": ["exact"], "seeds": [1], "steps": 20, "evalEvery": 10}""");
        await service.WithinAsync(TimeSpan.FromMinutes(3), limit => service.Api.WaitForFinalAsync(accepted.Id, ServiceFixture.Poll, limit));
        string plots = $"/api/v1/comparisons/{accepted.Id}/plots";

        await AssertProblemAsync($"/api/v1/comparisons/{Guid.NewGuid()}/plots/loss.png", HttpStatusCode.NotFound, "No such comparison.");
        await AssertProblemAsync($"{plots}/test_neg_log_likelihood.png", HttpStatusCode.NotFound, "No such metric.");
        await AssertProblemAsync($"{plots}/grad_log_variance.png", HttpStatusCode.NotFound, "Nothing to plot yet.");
        var errors = await AssertProblemAsync($"{plots}/loss.png?width=100&height=5000", HttpStatusCode.BadRequest, "The plot request is not valid.");
        Assert.True(errors.GetProperty("errors").TryGetProperty("width", out _));
        Assert.True(errors.GetProperty("errors").TryGetProperty("height", out _));

        // The same comparison does have a loss curve.
        await GetPngAsync($"{plots}/loss.png?width=320&height=240");
    }

    [Fact]
    public async Task Plots_and_comparison_metrics_need_a_key_where_reads_do()
    {
        var accepted = await service.Api.SubmitAsync("""{"task": "poisson-toy", "estimators": ["st"], "seeds": [1], "steps": 20, "evalEvery": 10}""");
        await service.WithinAsync(TimeSpan.FromMinutes(3), limit => service.Api.WaitForFinalAsync(accepted.Id, ServiceFixture.Poll, limit));

        var (api, keyed) = await service.StartApiAsync(new Dictionary<string, string> { ["Api__RequireKeyForReads"] = "true" });
        using (api)
        using (keyed)
        using (var anonymous = new HttpClient { BaseAddress = keyed.BaseAddress })
        {
            foreach (string url in new[] { $"/api/v1/comparisons/{accepted.Id}/plots/loss.png", $"/api/v1/comparisons/{accepted.Id}/metrics?name=loss" })
            {
                using var refused = await anonymous.GetAsync(url);
                Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
                using var allowed = await keyed.GetAsync(url);
                Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
            }
        }
    }

    private async Task<(byte[] Png, string Tag)> GetPngAsync(string url)
    {
        using var response = await service.Client.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("image/png", response.Content.Headers.ContentType!.MediaType);
        byte[] png = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(PngSignature, png[..8]);
        // A drawn plot (axes, text, curves), not an empty canvas, and nothing outlandish.
        Assert.InRange(png.Length, 5_000, 2_000_000);
        return (png, response.Headers.ETag!.ToString());
    }

    /// <summary>Width and height from the IHDR chunk, which follows the signature.</summary>
    private static (int Width, int Height) Dimensions(byte[] png) =>
        (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4)));

    private async Task<JsonElement> AssertProblemAsync(string url, HttpStatusCode status, string title)
    {
        using var response = await service.Client.GetAsync(url);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(title, problem.RootElement.GetProperty("title").GetString());
        return problem.RootElement.Clone();
    }
}

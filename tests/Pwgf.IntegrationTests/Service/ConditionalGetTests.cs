using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Pwgf.Api.Comparisons;
using Pwgf.Api.Runs;
using Pwgf.Api.Series;
using Pwgf.Client;
using Pwgf.Infrastructure.Entities;
using Pwgf.IntegrationTests.Support;

namespace Pwgf.IntegrationTests.Service;

/// <summary>ETag and If-None-Match on the read endpoints: 304 while nothing changed, a new tag once something did.</summary>
[Collection(ServiceCollection.Name)]
public sealed class ConditionalGetTests(ServiceFixture service)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);

    // Far more steps than the test waits for: the run is still going (or queued) until the test cancels it.
    private const string LongRun = """
        {"task": "poisson-toy", "estimators": ["st"], "seeds": [21], "steps": 5000000, "evalEvery": 50}
        """;

    [Fact]
    public async Task Comparison_and_run_details_answer_304_until_the_run_changes_then_200_with_a_new_tag()
    {
        var accepted = await service.Api.SubmitAsync(LongRun);
        try
        {
            await AssertTagsFollowTheRunAsync(accepted.Id);
        }
        finally
        {
            await service.CancelAsync(accepted.Id);
        }
    }

    private async Task AssertTagsFollowTheRunAsync(Guid comparisonId)
    {
        string comparisonUrl = $"/api/v1/comparisons/{comparisonId}";
        var (comparison, comparisonTag) = await GetTaggedAsync<ComparisonDetails>(comparisonUrl);
        Assert.False(comparison.Status.IsFinal());
        string runUrl = $"/api/v1/runs/{Assert.Single(comparison.Runs).Id}";
        var (_, runTag) = await GetTaggedAsync<RunDetails>(runUrl);

        await service.Api.CancelComparisonAsync(comparisonId);
        await service.WithinAsync(RunTimeout, limit => service.Api.WaitForFinalAsync(comparisonId, ServiceFixture.Poll, limit));

        // Cancelling rewrote the run row: the old tags no longer match.
        var (cancelled, newComparisonTag) = await GetTaggedAsync<ComparisonDetails>(comparisonUrl, comparisonTag);
        Assert.Equal(RunStatus.Cancelled, cancelled.Status);
        Assert.NotEqual(comparisonTag, newComparisonTag);
        var (cancelledRun, newRunTag) = await GetTaggedAsync<RunDetails>(runUrl, runTag);
        Assert.Equal(RunStatus.Cancelled, cancelledRun.Status);
        Assert.NotEqual(runTag, newRunTag);

        // A final run never changes again: its current tag is answered with 304 and no body, however it is sent.
        await AssertNotModifiedAsync(comparisonUrl, newComparisonTag, newComparisonTag);
        await AssertNotModifiedAsync(runUrl, newRunTag, newRunTag);
        await AssertNotModifiedAsync(runUrl, $"W/\"stale\", {newRunTag}", newRunTag);
        await AssertNotModifiedAsync(runUrl, newRunTag[2..], newRunTag); // the strong form matches weakly
        await AssertNotModifiedAsync(runUrl, "*", newRunTag);
    }

    [Fact]
    public async Task A_metric_series_keeps_its_tag_until_a_point_is_stored()
    {
        var accepted = await service.Api.SubmitAsync(LongRun);
        try
        {
            await AssertTheSeriesTagFollowsItsPointsAsync(accepted.Id);
        }
        finally
        {
            await service.CancelAsync(accepted.Id);
        }
    }

    private async Task AssertTheSeriesTagFollowsItsPointsAsync(Guid comparisonId)
    {
        var run = Assert.Single((await service.Api.GetComparisonAsync(comparisonId)).Runs);
        string url = $"/api/v1/runs/{run.Id}/metrics?name=loss";

        // Wait for the first points, then poll with the tag until the series grows.
        var deadline = DateTime.UtcNow + RunTimeout;
        var (first, tag) = await GetTaggedAsync<MetricSeries>(url);
        while (first.Points.Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
            (first, tag) = await GetTaggedAsync<MetricSeries>(url);
        }
        Assert.NotEmpty(first.Points);

        MetricSeries? grown = null;
        string grownTag = tag;
        while (grown is null && DateTime.UtcNow < deadline)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.TryAddWithoutValidation("If-None-Match", tag);
            using var response = await service.Client.SendAsync(request);
            if (response.StatusCode == HttpStatusCode.NotModified)
            {
                // Unchanged so far: the 304 repeats the tag the client holds.
                Assert.Equal(tag, response.Headers.ETag!.ToString());
                await Task.Delay(100);
                continue;
            }
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            grown = await response.Content.ReadFromJsonAsync<MetricSeries>(PwgfClient.Json);
            grownTag = response.Headers.ETag!.ToString();
        }
        Assert.NotNull(grown);
        Assert.True(grown.Points.Count > first.Points.Count, $"{grown.Points.Count} points after {first.Points.Count}");
        Assert.Equal(first.Points, grown.Points.Take(first.Points.Count));
        Assert.NotEqual(tag, grownTag);

        await service.Api.CancelComparisonAsync(comparisonId);
        await service.WithinAsync(RunTimeout, limit => service.Api.WaitForFinalAsync(comparisonId, ServiceFixture.Poll, limit));
        var (_, finalTag) = await GetTaggedAsync<MetricSeries>(url);
        await AssertNotModifiedAsync(url, finalTag, finalTag);

        // Another view of the same series is another representation, with a tag of its own.
        var (_, cursorTag) = await GetTaggedAsync<MetricSeries>($"{url}&afterStep=50");
        Assert.NotEqual(finalTag, cursorTag);
    }

    private async Task<(T Body, string Tag)> GetTaggedAsync<T>(string url, string? ifNoneMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (ifNoneMatch is not null) request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        using var response = await service.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var tag = response.Headers.ETag;
        Assert.NotNull(tag);
        Assert.True(tag.IsWeak, $"{url}: expected a weak tag, got {tag}");
        Assert.Equal(new CacheControlHeaderValue { NoCache = true, Private = true }, response.Headers.CacheControl);
        return ((await response.Content.ReadFromJsonAsync<T>(PwgfClient.Json))!, tag.ToString());
    }

    private async Task AssertNotModifiedAsync(string url, string ifNoneMatch, string expectedTag)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        using var response = await service.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Equal(expectedTag, response.Headers.ETag!.ToString());
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }
}

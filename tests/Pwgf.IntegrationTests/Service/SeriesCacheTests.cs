using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Pwgf.Infrastructure;
using Pwgf.IntegrationTests.Support;
using Pwgf.Training;

namespace Pwgf.IntegrationTests.Service;

/// <summary>
/// The API's thinned-series cache, seen from outside: simultaneous page loads of a long series share one database
/// read, repeated loads read nothing, and a series that grows is read again (never answered from the old state).
/// Its counters are the API's own Prometheus export.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class SeriesCacheTests(ServiceFixture service)
{
    private const string Series = "cache_probe";

    [Fact]
    public async Task Concurrent_loads_of_a_long_series_share_one_read_and_a_grown_series_is_read_again()
    {
        var accepted = await service.Api.SubmitAsync("""{"task": "poisson-toy", "estimators": ["st"], "seeds": [51], "steps": 10}""");
        var run = Assert.Single((await service.WithinAsync(TimeSpan.FromMinutes(1), limit => service.Api.WaitForFinalAsync(accepted.Id, ServiceFixture.Poll, limit))).Runs);
        await WriteAsync(run.Id, Enumerable.Range(1, 20_000));

        var (readsBefore, hitsBefore) = await CountersAsync();
        var loads = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => service.Api.GetRunMetricsAsync(run.Id, Series, maxPoints: 200)));
        var (reads, hits) = await CountersAsync();

        Assert.All(loads, load => Assert.Equal(loads[0].Points, load.Points));
        Assert.Equal(200, loads[0].Points.Count);
        Assert.Equal((1, 20_000), (loads[0].Points[0].Step, loads[0].Points[^1].Step));
        Assert.Equal(readsBefore + 1, reads);   // the other 19 waited for that read or found its points kept

        // Loads one after another find the points kept.
        for (int i = 0; i < 5; i++) Assert.Equal(loads[0].Points, (await service.Api.GetRunMetricsAsync(run.Id, Series, maxPoints: 200)).Points);
        Assert.Equal((reads, hits + 5), await CountersAsync());

        // One more point: a new last step, so a new read, whose answer ends at it.
        await WriteAsync(run.Id, [20_010]);
        var grown = (await service.Api.GetRunMetricsAsync(run.Id, Series, maxPoints: 200));
        Assert.Equal(20_010, grown.Points[^1].Step);
        Assert.Equal(reads + 1, (await CountersAsync()).Reads);
    }

    [Fact]
    public async Task A_comparison_run_that_grows_behind_the_furthest_run_is_read_again()
    {
        // Every run is thinned onto targets up to the furthest run's last step; here that stays 20,000 while the
        // other run grows from 10,000 to 12,000, and the answer must show the growth.
        var accepted = await service.Api.SubmitAsync("""{"task": "poisson-toy", "estimators": ["st"], "seeds": [52, 53], "steps": 10, "evalEvery": 10}""");
        var runs = (await service.WithinAsync(TimeSpan.FromMinutes(1), limit => service.Api.WaitForFinalAsync(accepted.Id, ServiceFixture.Poll, limit))).Runs;
        var (ahead, behind) = (runs[0].Id, runs[1].Id);
        await WriteAsync(ahead, Enumerable.Range(11, 19_990), "loss");
        await WriteAsync(behind, Enumerable.Range(11, 9_990), "loss");

        var before = (await service.Api.GetComparisonMetricsAsync(accepted.Id, "loss", maxPoints: 200));
        Assert.Equal([20_000, 10_000], before.Runs.Select(r => r.Points[^1].Step));

        await WriteAsync(behind, Enumerable.Range(10_001, 2_000), "loss");
        var after = (await service.Api.GetComparisonMetricsAsync(accepted.Id, "loss", maxPoints: 200));
        Assert.Equal([20_000, 12_000], after.Runs.Select(r => r.Points[^1].Step));
        Assert.Equal(before.Runs[0].Points, after.Runs[0].Points);
    }

    private async Task WriteAsync(Guid runId, IEnumerable<int> steps, string name = Series)
    {
        await using var db = new PwgfDbContext(new DbContextOptionsBuilder<PwgfDbContext>()
            .UseNpgsql(service.ConnectionString).UseSnakeCaseNamingConvention().Options);
        await db.WriteAsync(runId, [.. steps.Select(step => new MetricPoint(name, step, Math.Exp(-step / 5000.0)))], CancellationToken.None);
    }

    /// <summary>The API's series_thinned and series_cache_hits counters (0 before their first use).</summary>
    private async Task<(long Reads, long Hits)> CountersAsync()
    {
        string export = await FreshExportAsync();
        return (Counter(export, "pwgf_api_series_thinned"), Counter(export, "pwgf_api_series_cache_hits"));
    }

    /// <summary>
    /// An export collected after everything this test did so far. The exporter may answer from a scrape it keeps for
    /// a moment, but every scrape counts the /metrics requests completed before it: an export that counts more of
    /// them than the first one read here was collected after that first request, so after this call began.
    /// </summary>
    private async Task<string> FreshExportAsync()
    {
        long first = Counter(await service.Anonymous.GetStringAsync("/metrics"), MetricsRequests);
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (true)
        {
            string export = await service.Anonymous.GetStringAsync("/metrics");
            if (Counter(export, MetricsRequests) > first) return export;
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the API's metrics export never changed");
            await Task.Delay(50);
        }
    }

    private const string MetricsRequests = "http_server_request_duration_seconds_count";

    /// <summary>A counter's value summed over its series (for the request counter: the /metrics route's only).</summary>
    private static long Counter(string export, string name)
    {
        string route = name == MetricsRequests ? "http_route=\"/metrics\"" : "";
        return Regex.Matches(export, $@"^{name}(?:_total)?(?:\{{([^}}]*)\}})? (\d+)", RegexOptions.Multiline)
            .Where(match => match.Groups[1].Value.Contains(route, StringComparison.Ordinal))
            .Sum(match => long.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture));
    }
}

using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Pwgf.Infrastructure;

namespace Pwgf.Bench.Training;

/// <summary>
/// The API under a dashboard's load on a long run: a run gets a 100,000-point series (written with the worker's own
/// statement); 50 closed-loop pollers load it once downsampled and then poll it the way the dashboard does (the
/// comparison and the points after a cursor, with If-None-Match); then 50 clients reload the whole series downsampled
/// over and over (a storm of page loads); afterwards, submission throughput from a few concurrent clients.
/// </summary>
public static class ApiLoad
{
    public const string Series = "bench_series";

    public sealed record Result(
        int Points, int Pollers, LatencySummary Comparison, LatencySummary Metrics, LatencySummary PageLoads, double SubmissionsPerSecond, int SubmissionErrors);

    public static async Task<Result> MeasureAsync(ServiceClient client, string connectionString, Guid comparisonId, Guid runId, bool quick)
    {
        const int points = 100_000, pollers = 50;
        await using (var db = BenchDatabase.Open(connectionString))
        {
            foreach (var chunk in Enumerable.Range(1, points).Chunk(10_000))
            {
                await db.WriteAsync(runId, [.. chunk.Select(step => new Pwgf.Training.MetricPoint(Series, step, Math.Exp(-step / 20_000.0)))], CancellationToken.None);
            }
        }

        // Phase 1, the dashboard's pattern: each poller loads the series once (downsampled), then keeps polling the
        // comparison and the points after its cursor, sending back the ETags it got (304 when nothing changed).
        var duration = TimeSpan.FromSeconds(quick ? 10 : 20);
        var clock = Stopwatch.StartNew();
        var samples = await Task.WhenAll(Enumerable.Range(0, pollers).Select(_ => Task.Run(async () =>
        {
            var mine = new List<RequestSample>();
            string? comparisonTag = null, seriesTag = null;
            await TimedAsync(client, PolledEndpoint.Metrics, $"api/v1/runs/{runId}/metrics?name={Series}&maxPoints=1000", null, mine);
            while (clock.Elapsed < duration)
            {
                comparisonTag = await TimedAsync(client, PolledEndpoint.Comparison, $"api/v1/comparisons/{comparisonId}", comparisonTag, mine);
                seriesTag = await TimedAsync(client, PolledEndpoint.Metrics, $"api/v1/runs/{runId}/metrics?name={Series}&afterStep={points}", seriesTag, mine);
            }
            return mine;
        })));
        double seconds = clock.Elapsed.TotalSeconds;
        var all = samples.SelectMany(s => s).ToList();

        // Phase 2, a storm of page loads: every request reads the whole 100k-point series downsampled to 1000 points.
        clock.Restart();
        var loads = await Task.WhenAll(Enumerable.Range(0, pollers).Select(_ => Task.Run(async () =>
        {
            var mine = new List<RequestSample>();
            while (clock.Elapsed < duration / 2)
            {
                await TimedAsync(client, PolledEndpoint.Metrics, $"api/v1/runs/{runId}/metrics?name={Series}&maxPoints=1000", null, mine);
            }
            return mine;
        })));
        double loadSeconds = clock.Elapsed.TotalSeconds;

        var (submissions, errors) = await SubmitAsync(client, TimeSpan.FromSeconds(quick ? 5 : 15));
        return new Result(points, pollers,
            LatencySummary.Of("comparison (If-None-Match)", [.. all.Where(s => s.Endpoint == PolledEndpoint.Comparison)], seconds),
            LatencySummary.Of("series after the cursor (If-None-Match)", [.. all.Where(s => s.Endpoint == PolledEndpoint.Metrics)], seconds),
            LatencySummary.Of("whole series, maxPoints=1000", [.. loads.SelectMany(l => l)], loadSeconds),
            submissions, errors);
    }

    /// <summary>Four clients submitting one-run toy comparisons back to back; accepted submissions per second.</summary>
    private static async Task<(double PerSecond, int Errors)> SubmitAsync(ServiceClient client, TimeSpan duration)
    {
        const string body = """{"task": "poisson-toy", "estimators": ["st"], "seeds": [1], "steps": 10}""";
        var clock = Stopwatch.StartNew();
        var counts = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            int accepted = 0, failed = 0;
            while (clock.Elapsed < duration)
            {
                var answer = await client.TrySubmitAsync(body, CancellationToken.None);
                if (answer.Id is not null) accepted++;
                else failed++;
            }
            return (accepted, failed);
        })));
        return (counts.Sum(c => c.accepted) / clock.Elapsed.TotalSeconds, counts.Sum(c => c.failed));
    }

    /// <summary>One timed GET; sends <paramref name="tag"/> as If-None-Match and returns the answer's ETag (or the old one on 304).</summary>
    private static async Task<string?> TimedAsync(ServiceClient client, PolledEndpoint endpoint, string path, string? tag, List<RequestSample> samples)
    {
        long start = Stopwatch.GetTimestamp();
        try
        {
            using var response = await client.GetAsync(path, tag, CancellationToken.None);
            int status = (int)response.StatusCode;
            // 304 is the success of a conditional poll.
            samples.Add(new RequestSample(endpoint, Stopwatch.GetElapsedTime(start).TotalMilliseconds, status == 304 ? 200 : status, null));
            return response.Headers.ETag?.ToString() ?? tag;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            samples.Add(new RequestSample(endpoint, Stopwatch.GetElapsedTime(start).TotalMilliseconds, 0, exception.Message));
            return tag;
        }
    }
}

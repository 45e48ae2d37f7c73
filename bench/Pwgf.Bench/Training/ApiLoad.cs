using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Pwgf.Client;
using Pwgf.Infrastructure;
using Pwgf.Infrastructure.Entities;

namespace Pwgf.Bench.Training;

/// <summary>
/// The API under a dashboard's load on a long run: a run gets a 100,000-point series (written with the worker's own
/// statement); 50 dashboards load it once downsampled and then poll it the way the dashboard does, every 2 s (the
/// comparison and the points after a cursor, with If-None-Match); the same 50 pollers without pauses measure the
/// capacity; then 50 clients reload the whole series downsampled over and over (a storm of page loads); afterwards,
/// submission throughput from a few concurrent clients.
/// </summary>
public static class ApiLoad
{
    public const string Series = "bench_series";

    /// <summary>How often the dashboard polls an open comparison (pollMilliseconds in wwwroot/js/views/comparison.js).</summary>
    public static readonly TimeSpan DashboardInterval = TimeSpan.FromSeconds(2);

    /// <param name="Points">Points in the polled series.</param>
    /// <param name="Pollers">Concurrent pollers of phases 1 to 3.</param>
    /// <param name="Comparison">Comparison polls of the 50 dashboards (phase 1): the latency the target is stated for.</param>
    /// <param name="Metrics">Series polls of the 50 dashboards.</param>
    /// <param name="SaturatedComparison">Comparison polls of 50 closed-loop pollers (phase 2).</param>
    /// <param name="SaturatedMetrics">Series polls of 50 closed-loop pollers.</param>
    /// <param name="PageLoads">Whole-series reloads (phase 3).</param>
    /// <param name="SubmissionsPerSecond">Accepted submissions per second from four clients.</param>
    /// <param name="SubmissionErrors">Submissions that were refused or failed.</param>
    public sealed record Result(
        int Points, int Pollers, LatencySummary Comparison, LatencySummary Metrics, LatencySummary SaturatedComparison,
        LatencySummary SaturatedMetrics, LatencySummary PageLoads, double SubmissionsPerSecond, int SubmissionErrors)
    {
        /// <summary>The worse p95 of the dashboards' two polls.</summary>
        public double DashboardP95 => Math.Max(Comparison.P95, Metrics.P95);
    }

    public static async Task<Result> MeasureAsync(PwgfClient client, string connectionString, Guid comparisonId, Guid runId, bool quick)
    {
        const int points = 100_000, pollers = 50;
        await using (var db = BenchDatabase.Open(connectionString))
        {
            foreach (var chunk in Enumerable.Range(1, points).Chunk(10_000))
            {
                await db.WriteAsync(runId, [.. chunk.Select(step => new Pwgf.Training.MetricPoint(Series, step, Math.Exp(-step / 20_000.0)))], CancellationToken.None);
            }
        }

        // Phase 1, 50 dashboards open on the run: each has loaded the series once (downsampled), then every 2 s (the
        // dashboard's own interval, comparison.js) polls the comparison and the points after its cursor, sending back
        // the ETags it got (304 when nothing changed). Their start times are spread over the first interval.
        // The pages' first loads (the comparison and the series downsampled, unconditional) happen before the polling
        // starts and are not polls; phase 3 measures such loads under load.
        var duration = TimeSpan.FromSeconds(quick ? 10 : 20);
        var pages = await Task.WhenAll(Enumerable.Range(0, pollers).Select(_ => LoadPageAsync(client, comparisonId, runId)));
        var clock = Stopwatch.StartNew();
        var dashboards = await Task.WhenAll(Enumerable.Range(0, pollers).Select(i => PollAsync(client, comparisonId, runId, points,
            clock, duration, DashboardInterval, firstTick: DashboardInterval * i / pollers, pages[i])));
        double dashboardSeconds = clock.Elapsed.TotalSeconds;
        var dashboard = dashboards.SelectMany(s => s).ToList();

        // Phase 2, capacity: the same requests from 50 pollers that never wait between polls (closed loop), which
        // saturates the machine; their latency is mostly queueing and says how much headroom phase 1 has.
        clock.Restart();
        var saturated = (await Task.WhenAll(Enumerable.Range(0, pollers).Select(i =>
            PollAsync(client, comparisonId, runId, points, clock, duration, TimeSpan.Zero, TimeSpan.Zero, pages[i])))).SelectMany(s => s).ToList();
        double seconds = clock.Elapsed.TotalSeconds;

        // Phase 3, a storm of page loads: every request asks for the whole 100k-point series downsampled to 1000 points
        // (unchanged, so after the first read the API answers from its thinned-series cache).
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
            LatencySummary.Of("comparison (If-None-Match)", [.. dashboard.Where(s => s.Endpoint == PolledEndpoint.Comparison)], dashboardSeconds),
            LatencySummary.Of("series after the cursor (If-None-Match)", [.. dashboard.Where(s => s.Endpoint == PolledEndpoint.Metrics)], dashboardSeconds),
            LatencySummary.Of("comparison (If-None-Match)", [.. saturated.Where(s => s.Endpoint == PolledEndpoint.Comparison)], seconds),
            LatencySummary.Of("series after the cursor (If-None-Match)", [.. saturated.Where(s => s.Endpoint == PolledEndpoint.Metrics)], seconds),
            LatencySummary.Of("whole series, maxPoints=1000", [.. loads.SelectMany(l => l)], loadSeconds),
            submissions, errors);
    }

    /// <summary>A dashboard page's first requests: the comparison and the series downsampled; returns the comparison's ETag.</summary>
    private static async Task<string?> LoadPageAsync(PwgfClient client, Guid comparisonId, Guid runId)
    {
        string? tag = await TimedAsync(client, PolledEndpoint.Comparison, $"api/v1/comparisons/{comparisonId}", null, []);
        await TimedAsync(client, PolledEndpoint.Metrics, $"api/v1/runs/{runId}/metrics?name={Series}&maxPoints=1000", null, []);
        return tag;
    }

    /// <summary>
    /// One poller, whose page has loaded: from <paramref name="firstTick"/> on it polls the comparison and the series
    /// after its cursor every <paramref name="interval"/> (zero: back to back) until the duration is up.
    /// </summary>
    private static Task<List<RequestSample>> PollAsync(PwgfClient client, Guid comparisonId, Guid runId, int points,
        Stopwatch clock, TimeSpan duration, TimeSpan interval, TimeSpan firstTick, string? pageTag) => Task.Run(async () =>
    {
        var mine = new List<RequestSample>();
        string? comparisonTag = pageTag, seriesTag = null;
        var next = firstTick;
        while (clock.Elapsed < duration)
        {
            if (next > clock.Elapsed) await Task.Delay(next - clock.Elapsed);
            next += interval;
            comparisonTag = await TimedAsync(client, PolledEndpoint.Comparison, $"api/v1/comparisons/{comparisonId}", comparisonTag, mine);
            seriesTag = await TimedAsync(client, PolledEndpoint.Metrics, $"api/v1/runs/{runId}/metrics?name={Series}&afterStep={points}", seriesTag, mine);
        }
        return mine;
    });

    /// <summary>
    /// Four clients submitting one-run toy comparisons back to back; accepted submissions per second. Afterwards
    /// (untimed) every accepted comparison is cancelled and the last one waited for, so the thousands of queued toy
    /// runs do not keep the worker busy during whatever the bench measures next.
    /// </summary>
    private static async Task<(double PerSecond, int Errors)> SubmitAsync(PwgfClient client, TimeSpan duration)
    {
        const string body = """{"task": "poisson-toy", "estimators": ["st"], "seeds": [1], "steps": 10}""";
        var clock = Stopwatch.StartNew();
        var counts = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            var accepted = new List<Guid>();
            int failed = 0;
            while (clock.Elapsed < duration)
            {
                var answer = await client.TrySubmitAsync(body, CancellationToken.None);
                if (answer.Id is { } id) accepted.Add(id);
                else failed++;
            }
            return (accepted, failed);
        })));
        double perSecond = counts.Sum(c => c.accepted.Count) / clock.Elapsed.TotalSeconds;

        var submitted = counts.SelectMany(c => c.accepted).ToList();
        await Parallel.ForEachAsync(submitted, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (id, token) =>
        {
            try
            {
                await client.CancelComparisonAsync(id, token);
            }
            catch (PwgfApiException)
            {
                // already finished: nothing to cancel
            }
        });
        var deadline = Stopwatch.StartNew();
        while (submitted.Count > 0 && deadline.Elapsed < TimeSpan.FromMinutes(5))
        {
            var last = await client.GetComparisonAsync(submitted[^1], CancellationToken.None);
            if (last.Status is not (RunStatus.Queued or RunStatus.Running)) break;
            await Task.Delay(500);
        }
        return (perSecond, counts.Sum(c => c.failed));
    }

    /// <summary>One timed GET; sends <paramref name="tag"/> as If-None-Match and returns the answer's ETag (or the old one on 304).</summary>
    private static async Task<string?> TimedAsync(PwgfClient client, PolledEndpoint endpoint, string path, string? tag, List<RequestSample> samples)
    {
        long start = Stopwatch.GetTimestamp();
        try
        {
            using var response = await client.GetRawAsync(path, tag, CancellationToken.None);
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

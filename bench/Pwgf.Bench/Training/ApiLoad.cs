using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Pwgf.Infrastructure;

namespace Pwgf.Bench.Training;

/// <summary>
/// The API under a dashboard's load on a long run: a run gets a 100,000-point series (written with the worker's own
/// statement), then 50 closed-loop pollers read it the way the dashboard does (the comparison, then the series
/// downsampled with maxPoints); afterwards, submission throughput from a few concurrent clients.
/// </summary>
public static class ApiLoad
{
    public const string Series = "bench_series";

    public sealed record Result(int Points, int Pollers, LatencySummary Comparison, LatencySummary Metrics, double SubmissionsPerSecond, int SubmissionErrors);

    public static async Task<Result> MeasureAsync(ServiceClient client, string connectionString, Guid comparisonId, Guid runId, bool quick)
    {
        const int points = 100_000, pollers = 50;
        var options = new DbContextOptionsBuilder<PwgfDbContext>().UseNpgsql(connectionString).UseSnakeCaseNamingConvention().Options;
        await using (var db = new PwgfDbContext(options))
        {
            foreach (var chunk in Enumerable.Range(1, points).Chunk(10_000))
            {
                await db.WriteAsync(runId, [.. chunk.Select(step => new Pwgf.Training.MetricPoint(Series, step, Math.Exp(-step / 20_000.0)))], CancellationToken.None);
            }
        }

        var duration = TimeSpan.FromSeconds(quick ? 10 : 30);
        var clock = Stopwatch.StartNew();
        var samples = await Task.WhenAll(Enumerable.Range(0, pollers).Select(_ => Task.Run(async () =>
        {
            var mine = new List<RequestSample>();
            while (clock.Elapsed < duration)
            {
                await TimedAsync(client, PolledEndpoint.Comparison, $"api/v1/comparisons/{comparisonId}", mine);
                await TimedAsync(client, PolledEndpoint.Metrics, $"api/v1/runs/{runId}/metrics?name={Series}&maxPoints=1000", mine);
            }
            return mine;
        })));
        double seconds = clock.Elapsed.TotalSeconds;
        var all = samples.SelectMany(s => s).ToList();

        var (submissions, errors) = await SubmitAsync(client, TimeSpan.FromSeconds(quick ? 5 : 15));
        return new Result(points, pollers,
            LatencySummary.Of("comparison", [.. all.Where(s => s.Endpoint == PolledEndpoint.Comparison)], seconds),
            LatencySummary.Of("series (maxPoints=1000)", [.. all.Where(s => s.Endpoint == PolledEndpoint.Metrics)], seconds),
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

    private static async Task TimedAsync(ServiceClient client, PolledEndpoint endpoint, string path, List<RequestSample> samples)
    {
        long start = Stopwatch.GetTimestamp();
        try
        {
            using var response = await client.GetAsync(path, CancellationToken.None);
            samples.Add(new RequestSample(endpoint, Stopwatch.GetElapsedTime(start).TotalMilliseconds, (int)response.StatusCode, null));
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            samples.Add(new RequestSample(endpoint, Stopwatch.GetElapsedTime(start).TotalMilliseconds, 0, exception.Message));
        }
    }
}

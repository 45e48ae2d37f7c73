using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Pwgf.Infrastructure;
using Pwgf.Training;

namespace Pwgf.Bench.Training;

/// <summary>
/// What metric writes cost: the worker's own statement (MetricWriter, one unnest INSERT per flush) against the
/// stack's database, for a flush of a VAE run (a handful of points) and for large batches (rows per second).
/// Points go to a run the bench already trained, under a metric name of their own.
/// </summary>
public static class MetricWriteBench
{
    public sealed record Result(double SmallFlushMs, int SmallFlushPoints, double RowsPerSecond, int BatchPoints);

    public static async Task<Result> MeasureAsync(string connectionString, Guid runId, bool quick)
    {
        await using var db = BenchDatabase.Open(connectionString);
        int step = 0;
        List<Pwgf.Training.MetricPoint> Points(int count, string name) => [.. Enumerable.Range(0, count).Select(_ => new Pwgf.Training.MetricPoint(name, ++step, step * 0.5))];

        // A VAE evaluation writes five points; warm the connection and the statement first.
        const int flushPoints = 5;
        for (int i = 0; i < 20; i++) await db.WriteAsync(runId, Points(flushPoints, "bench_flush"), CancellationToken.None);
        var small = new List<double>();
        for (int i = 0; i < (quick ? 100 : 400); i++)
        {
            var clock = Stopwatch.StartNew();
            await db.WriteAsync(runId, Points(flushPoints, "bench_flush"), CancellationToken.None);
            small.Add(clock.Elapsed.TotalMilliseconds);
        }

        const int batchPoints = 10_000;
        int batches = quick ? 10 : 30;
        var total = Stopwatch.StartNew();
        for (int i = 0; i < batches; i++) await db.WriteAsync(runId, Points(batchPoints, "bench_bulk"), CancellationToken.None);
        double rowsPerSecond = batches * batchPoints / total.Elapsed.TotalSeconds;
        return new Result(Statistics.Median(small), flushPoints, rowsPerSecond, batchPoints);
    }
}

using System.Diagnostics;
using System.Text.Json;
using Pwgf.Client;

namespace Pwgf.Bench;

/// <summary>Steps a run advanced over some seconds.</summary>
public readonly record struct StepRate(int Steps, double Seconds)
{
    public double PerSecond => Steps / Seconds;
}

/// <summary>
/// Watches a run's step in the background, a few times a second, through GET /api/v1/runs/{id}. The worker stores
/// the step with each metric flush (about once a second), so what the API shows is a staircase. A rate taken between
/// two arbitrary samples would be off by up to one stair at each end; a rate taken between the first and the last
/// rise seen inside a window is off only by the sampling interval.
/// </summary>
public sealed class StepMonitor : IAsyncDisposable
{
    private readonly record struct Sample(double Seconds, int Step, string Status);

    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    private readonly PwgfClient client;
    private readonly Guid runId;
    private readonly Stopwatch clock;
    private readonly List<Sample> samples = [];
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;
    private int failures;

    public StepMonitor(PwgfClient client, Guid runId, Stopwatch clock)
    {
        this.client = client;
        this.runId = runId;
        this.clock = clock;
        loop = Task.Run(WatchAsync);
    }

    /// <summary>Requests of the monitor itself that failed (they leave a gap in the samples, nothing more).</summary>
    public int Failures => Volatile.Read(ref failures);

    /// <summary>The run's status in the latest sample, or null before the first one.</summary>
    public string? LatestStatus
    {
        get
        {
            lock (samples) return samples.Count == 0 ? null : samples[^1].Status;
        }
    }

    /// <summary>
    /// Rate between the first and the last rise of the step inside [from, to] (clock seconds); null when fewer than
    /// two rises fall inside. A rise is dated halfway between the sample before it and the sample that shows it.
    /// </summary>
    public StepRate? RateBetween(double from, double to)
    {
        Sample[] seen;
        lock (samples) seen = [.. samples];
        var rises = Enumerable.Range(1, Math.Max(0, seen.Length - 1))
            .Where(i => seen[i].Step > seen[i - 1].Step)
            .Select(i => (Seconds: (seen[i - 1].Seconds + seen[i].Seconds) / 2, seen[i].Step))
            .Where(rise => rise.Seconds >= from && rise.Seconds <= to)
            .ToList();
        return rises.Count < 2 ? null : new StepRate(rises[^1].Step - rises[0].Step, rises[^1].Seconds - rises[0].Seconds);
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await loop;
        stop.Dispose();
    }

    private async Task WatchAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            double sent = clock.Elapsed.TotalSeconds;
            try
            {
                var progress = await client.GetRunAsync(runId, stop.Token);
                // The database was read somewhere between sending and receiving; under load the two differ most.
                double received = clock.Elapsed.TotalSeconds;
                lock (samples) samples.Add(new Sample((sent + received) / 2, progress.Step, progress.Status.ToString()));
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or ServiceException or PwgfApiException or JsonException)
            {
                Interlocked.Increment(ref failures);
            }

            try
            {
                await Task.Delay(Interval, stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}

using System.Diagnostics;
using System.Text.Json;
using Pwgf.Client;

namespace Pwgf.Bench;

/// <summary>The two requests a polling client repeats.</summary>
public enum PolledEndpoint
{
    Comparison,
    Metrics,
}

/// <summary>One request of a poller. Status 0: no answer at all (connection error or timeout), see Error.</summary>
public readonly record struct RequestSample(PolledEndpoint Endpoint, double Milliseconds, int Status, string? Error)
{
    public bool Failed => Status is < 200 or > 299;
}

/// <summary>
/// Clients that watch a running comparison the way a dashboard would: each one, in a closed loop with no pause,
/// fetches the comparison and then the loss points after the last step it has (its cursor). A poller starts no
/// request after the deadline; requests already sent are awaited, so the slowest answers are not cut off.
/// </summary>
public static class PollerSwarm
{
    public static async Task<List<RequestSample>> RunAsync(
        PwgfClient client, Guid comparisonId, Guid runId, int pollers, TimeSpan duration, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        var swarm = Enumerable.Range(0, pollers)
            .Select(_ => Task.Run(() => PollAsync(client, comparisonId, runId, () => deadline.Elapsed >= duration, cancellationToken)))
            .ToArray();
        var perPoller = await Task.WhenAll(swarm);
        return [.. perPoller.SelectMany(samples => samples)];
    }

    private static async Task<List<RequestSample>> PollAsync(
        PwgfClient client, Guid comparisonId, Guid runId, Func<bool> pastDeadline, CancellationToken cancellationToken)
    {
        var samples = new List<RequestSample>();
        int cursor = -1;  // a new client has seen nothing, so its first call fetches the series so far
        while (!pastDeadline() && !cancellationToken.IsCancellationRequested)
        {
            await TimedGetAsync(client, PolledEndpoint.Comparison, $"api/v1/comparisons/{comparisonId}", samples, cancellationToken);
            if (pastDeadline()) break;

            string? series = await TimedGetAsync(client, PolledEndpoint.Metrics,
                $"api/v1/runs/{runId}/metrics?name=loss&afterStep={cursor}", samples, cancellationToken);
            if (series is not null) cursor = LastStep(series) ?? cursor;
        }
        return samples;
    }

    /// <summary>Times one GET up to its complete body; returns the body of a 2xx answer, else null.</summary>
    private static async Task<string?> TimedGetAsync(
        PwgfClient client, PolledEndpoint endpoint, string path, List<RequestSample> samples, CancellationToken cancellationToken)
    {
        long start = Stopwatch.GetTimestamp();
        try
        {
            using var response = await client.GetRawAsync(path, cancellationToken: cancellationToken);
            double milliseconds = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            samples.Add(new RequestSample(endpoint, milliseconds, (int)response.StatusCode, null));
            return response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync(cancellationToken) : null;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return null;  // the bench is being interrupted: not a failure of the service
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            samples.Add(new RequestSample(endpoint, Stopwatch.GetElapsedTime(start).TotalMilliseconds, 0, exception.Message));
            return null;
        }
    }

    /// <summary>Step of the last point of a metric series answer ({"name", "points": [{"step", "value"}]}).</summary>
    private static int? LastStep(string series)
    {
        using var json = JsonDocument.Parse(series);
        var points = json.RootElement.GetProperty("points");
        int count = points.GetArrayLength();
        return count == 0 ? null : points[count - 1].GetProperty("step").GetInt32();
    }
}

/// <summary>Latency percentiles of the answered requests of one endpoint (or of all), over a phase.</summary>
public sealed record LatencySummary(string Endpoint, int Requests, double PerSecond, int Errors, double P50, double P95, double P99, double Max)
{
    public static LatencySummary Of(string endpoint, IReadOnlyCollection<RequestSample> samples, double seconds)
    {
        // Requests with no answer have no latency to speak of; they count as errors only.
        var answered = samples.Where(s => s.Status != 0).Select(s => s.Milliseconds).Order().ToArray();
        return new LatencySummary(endpoint, samples.Count, samples.Count / seconds, samples.Count(s => s.Failed),
            Percentile(answered, 0.50), Percentile(answered, 0.95), Percentile(answered, 0.99), answered.Length == 0 ? double.NaN : answered[^1]);
    }

    /// <summary>Nearest-rank percentile: the smallest value that at least a share q of the values do not exceed.</summary>
    private static double Percentile(double[] sorted, double q) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
}

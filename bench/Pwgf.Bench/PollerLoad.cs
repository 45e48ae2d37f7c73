using System.Diagnostics;
using System.Text.Json;
using Pwgf.Client;
using Pwgf.Infrastructure.Entities;

namespace Pwgf.Bench;

/// <summary>
/// What polling clients cost a running comparison. Submits one long run to a running service, then measures its
/// training speed alone (phase A), under N closed-loop pollers (phase B) and alone again (phase C, which brackets any
/// drift of the speed over time), and cancels the run. Reports the slowdown and the latencies the pollers saw.
/// </summary>
public static class PollerLoad
{
    /// <summary>One measurement window, in seconds of the bench's clock, with the step rate seen inside it.</summary>
    public sealed record Phase(string Name, int Pollers, double From, double To, CpuUse? Cpu, StepRate? Rate);

    /// <summary>A single run long enough (5M steps) to outlast every phase; the bench cancels it at the end.</summary>
    public const string Submission =
        """{"task": "bernoulli-toy", "taskOptions": {"dims": 128, "batchSize": 64}, "estimators": ["st"], "seeds": [1], "steps": 5000000, "evalEvery": 500}""";

    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan CancelTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>Time between the run starting and phase A, so that start-up (JIT, first flushes) is not measured.</summary>
    private static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(10);

    public static async Task<int> RunAsync(string[] args)
    {
        if (!PollerSettings.TryParse(args, out var settings, out string? problem))
        {
            Console.Error.WriteLine($"pollers: {problem}");
            return 2;
        }

        var (apiKey, keySource) = PwgfClient.FindApiKey(settings.ApiKeyFile);
        using var interrupt = new CancellationTokenSource();
        ConsoleCancelEventHandler onCtrlC = (_, e) => { e.Cancel = true; interrupt.Cancel(); };
        Console.CancelKeyPress += onCtrlC;
        using var client = new PwgfClient(settings.Url, apiKey, RequestTimeout);
        double? loadBefore = Machine.LoadAverage();
        var startedAt = DateTime.UtcNow;

        Guid comparisonId;
        try
        {
            comparisonId = (await client.SubmitAsync(Submission, cancellationToken: interrupt.Token)).Id;
        }
        catch (Exception exception) when (exception is ServiceException or PwgfApiException or HttpRequestException or TaskCanceledException)
        {
            Console.Error.WriteLine($"pollers: could not submit the comparison: {exception.Message}");
            return 1;
        }
        Progress($"submitted comparison {comparisonId} (API key: {keySource})");

        try
        {
            var runId = await WaitUntilRunningAsync(client, comparisonId, interrupt.Token);
            Progress($"run {runId} is training; letting it settle for {SettleTime.TotalSeconds:0} s");
            await Task.Delay(SettleTime, interrupt.Token);

            var clock = Stopwatch.StartNew();
            var phaseLength = TimeSpan.FromSeconds(settings.Seconds);
            List<RequestSample> requests;
            double loadSeconds;
            (double From, double To, CpuUse? Cpu) a, b, c;
            await using (var monitor = new StepMonitor(client, runId, clock))
            {
                a = await QuietAsync("A", clock, monitor, phaseLength, interrupt.Token);

                Progress($"phase B: {settings.Pollers} pollers for {settings.Seconds} s");
                double from = clock.Elapsed.TotalSeconds;
                var cpu = CpuSnapshot.Take();
                long logBefore = LogGrowth.LengthOf(settings.ApiLog);
                requests = await PollerSwarm.RunAsync(client, comparisonId, runId, settings.Pollers, phaseLength, interrupt.Token);
                loadSeconds = clock.Elapsed.TotalSeconds - from;
                var apiLog = LogGrowth.Since(settings.ApiLog, logBefore);
                b = (from, from + settings.Seconds, CpuUse.Between(cpu, CpuSnapshot.Take()));
                RequireRunning(monitor, "B");

                c = await QuietAsync("C", clock, monitor, phaseLength, interrupt.Token);
                // Let the monitor see the step rise that closes phase C before the rates are read.
                await Task.Delay(TimeSpan.FromSeconds(1.5), interrupt.Token);

                Phase Window(string name, int pollers, (double From, double To, CpuUse? Cpu) w) =>
                    new(name, pollers, w.From, w.To, w.Cpu, monitor.RateBetween(w.From, w.To));

                var result = new LoadResult(settings, args, startedAt, loadBefore, keySource,
                    [Window("A", 0, a), Window("B", settings.Pollers, b), Window("C", 0, c)],
                    [
                        LatencySummary.Of("GET /api/v1/comparisons/{id}", [.. requests.Where(r => r.Endpoint == PolledEndpoint.Comparison)], loadSeconds),
                        LatencySummary.Of("GET /api/v1/runs/{id}/metrics?name=loss&afterStep=N", [.. requests.Where(r => r.Endpoint == PolledEndpoint.Metrics)], loadSeconds),
                        LatencySummary.Of("all", requests, loadSeconds),
                    ],
                    loadSeconds, apiLog, requests.FirstOrDefault(r => r.Error is not null).Error, monitor.Failures);
                return Publish(LoadReport.Render(result), settings.Output);
            }
        }
        catch (Exception exception) when (exception is ServiceException or PwgfApiException)
        {
            Console.Error.WriteLine($"pollers: {exception.Message}");
            return 1;
        }
        catch (OperationCanceledException) when (interrupt.IsCancellationRequested)
        {
            Console.Error.WriteLine("pollers: interrupted; no report written");
            return 130;
        }
        finally
        {
            await CancelAsync(client, comparisonId);
            Console.CancelKeyPress -= onCtrlC;
        }
    }

    private static async Task<(double From, double To, CpuUse? Cpu)> QuietAsync(
        string name, Stopwatch clock, StepMonitor monitor, TimeSpan length, CancellationToken cancellationToken)
    {
        Progress($"phase {name}: training alone for {length.TotalSeconds:0} s");
        double from = clock.Elapsed.TotalSeconds;
        var cpu = CpuSnapshot.Take();
        await Task.Delay(length, cancellationToken);
        var busy = CpuUse.Between(cpu, CpuSnapshot.Take());
        RequireRunning(monitor, name);
        return (from, from + length.TotalSeconds, busy);
    }

    private static void RequireRunning(StepMonitor monitor, string phase)
    {
        if (monitor.LatestStatus is not "Running")
        {
            throw new ServiceException($"the run was {monitor.LatestStatus ?? "never seen"} at the end of phase {phase}, not Running; the numbers would mean nothing");
        }
    }

    private static async Task<Guid> WaitUntilRunningAsync(PwgfClient client, Guid comparisonId, CancellationToken cancellationToken)
    {
        Progress("waiting for a worker to start the run");
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < StartTimeout)
        {
            var run = await client.GetFirstRunAsync(comparisonId, cancellationToken);
            if (run is { Status: RunStatus.Running } running) return running.Id;
            if (run is { } over && over.Status.IsFinal())
            {
                throw new ServiceException($"run {over.Id} ended ({over.Status}) before it could be measured");
            }
            await Task.Delay(PollInterval, cancellationToken);
        }
        throw new ServiceException($"no worker started the run within {StartTimeout.TotalSeconds:0} s (is a worker running?)");
    }

    /// <summary>
    /// Cancels the comparison and waits until its run has stopped. A run left behind would be resumed from its
    /// checkpoint by the next worker on this database and train for hours.
    /// </summary>
    private static async Task CancelAsync(PwgfClient client, Guid comparisonId)
    {
        using var limit = new CancellationTokenSource(CancelTimeout);
        try
        {
            await client.CancelComparisonAsync(comparisonId, limit.Token);
            while (await client.GetFirstRunAsync(comparisonId, limit.Token) is { Status: RunStatus.Queued or RunStatus.Running })
            {
                await Task.Delay(PollInterval, limit.Token);
            }
            Progress($"comparison {comparisonId} cancelled");
        }
        catch (Exception exception) when (exception is ServiceException or PwgfApiException or HttpRequestException or OperationCanceledException or JsonException)
        {
            Console.Error.WriteLine($"pollers: warning: could not confirm that comparison {comparisonId} stopped ({exception.Message}); " +
                                    $"cancel it with POST /api/v1/comparisons/{comparisonId}/cancel");
        }
    }

    private static int Publish(string report, string? output)
    {
        Console.Write(report);
        if (output is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
            File.WriteAllText(output, report);
            Progress($"written to {output}");
        }
        return 0;
    }

    private static void Progress(string message) => Console.Error.WriteLine($"  {DateTime.Now:HH:mm:ss} {message}");
}

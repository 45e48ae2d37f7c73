using System.Diagnostics;
using System.Text.Json;
using Pwgf.Client;

namespace Pwgf.Bench.Training;

/// <summary>
/// Throughput of the stack with its one worker, then with a second worker process started beside it on the same
/// database (what another machine would do): the same batch of runs each time, total steps over the time from
/// submission to the last run's success.
/// </summary>
public static class WorkerScaling
{
    /// <param name="Runs">Runs per measurement.</param>
    /// <param name="Steps">Steps per run.</param>
    /// <param name="FixedThreads">Worker__TorchThreads of both workers; 0 when they share the cores by themselves.</param>
    /// <param name="OneWorkerStepsPerSecond">All runs' steps over the makespan, one worker.</param>
    /// <param name="TwoWorkersStepsPerSecond">The same with a second worker process.</param>
    public sealed record Result(int Runs, int Steps, int FixedThreads, double OneWorkerStepsPerSecond, double TwoWorkersStepsPerSecond);

    public static async Task<Result?> MeasureAsync(PwgfClient client, BenchStack stack, bool quick)
    {
        int threads = int.TryParse(Environment.GetEnvironmentVariable("Worker__TorchThreads"), out int fixedThreads) ? fixedThreads : 0;
        int runs = 4, steps = quick ? 1500 : 4000;
        double one = await MakespanThroughputAsync(client, runs, steps, seedBase: 100);
        Log($"1 worker: {one:F1} steps/s over {runs} runs");

        // The second worker gets the stack's Worker__TorchThreads: 0 lets both share the cores (CoreShare).
        using var second = stack.StartWorker();
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(10));           // start-up and Hangfire server registration
            if (second.HasExited) throw new ServiceException($"the second worker exited with {second.ExitCode}");
            double two = await MakespanThroughputAsync(client, runs, steps, seedBase: 200);
            Log($"2 workers: {two:F1} steps/s over {runs} runs");
            return new Result(runs, steps, threads, one, two);
        }
        finally
        {
            // SIGTERM: the worker drains like a deployment would stop it.
            await second.TerminateAsync(TimeSpan.FromSeconds(60));
        }
    }

    private static async Task<double> MakespanThroughputAsync(PwgfClient client, int runs, int steps, int seedBase)
    {
        string body = JsonSerializer.Serialize(new
        {
            task = "bernoulli-vae",
            taskOptions = new Dictionary<string, object> { ["dataset"] = "synthetic", ["architecture"] = "linear", ["evalImages"] = 100, ["importanceSamples"] = 10 },
            estimators = new[] { "st" },
            seeds = Enumerable.Range(seedBase, runs).ToArray(),
            steps,
            evalEvery = steps,
        });
        var clock = Stopwatch.StartNew();
        Guid comparison = (await client.SubmitAsync(body, cancellationToken: CancellationToken.None)).Id;
        await client.WaitForSuccessAsync(comparison, TimeSpan.FromSeconds(1), CancellationToken.None);
        return (double)runs * steps / clock.Elapsed.TotalSeconds;
    }

    private static void Log(string message) => Console.Error.WriteLine($"  {message}");
}

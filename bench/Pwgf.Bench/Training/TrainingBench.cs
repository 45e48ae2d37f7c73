using System.Globalization;
using System.Text.Json;
using Pwgf.Client;
using Pwgf.Estimators;
using Pwgf.Estimators.Families;
using static TorchSharp.torch;

namespace Pwgf.Bench.Training;

/// <summary>
/// `./pwgf bench training`: how fast the service trains the bernoulli-vae compared with the same step written by hand
/// in TorchSharp (same process, same thread count) and in PyTorch eager (its best thread count), plus what the
/// hardware's matrix multiply allows and what each estimator costs per step. The last two lines printed are the
/// two ratios the performance targets are stated in.
/// </summary>
public static class TrainingBench
{
    /// <summary>
    /// The command as `./pwgf bench training` runs it: without --url, on a stack of its own with one worker of
    /// --torch-threads libtorch threads (default 0: the worker's own share, every core when it is alone), compared
    /// with a bare loop at the same count; the full run writes docs/training-throughput.md.
    /// </summary>
    public static Task<int> RunOnOwnStackAsync(string[] args)
    {
        int threads = BenchStack.IntOption(args, "--torch-threads") ?? 0;
        string root = BenchStack.SourceTree;
        var all = new List<string>(BenchStack.Without(args, "--torch-threads"))
        {
            "--worker-threads", (threads > 0 ? threads : Environment.ProcessorCount).ToString(CultureInfo.InvariantCulture),
        };
        if (!args.Contains("--python")) all.AddRange(["--python", "/usr/bin/python3"]);
        if (!args.Contains("--peer-script")) all.AddRange(["--peer-script", Path.Combine(root, "bench", "peers", "pytorch_vae.py")]);
        if (!args.Contains("--output") && !args.Contains("--quick")) all.AddRange(["--output", Path.Combine(root, "docs", "training-throughput.md")]);
        var settings = new Dictionary<string, string>
        {
            ["Worker__TorchThreads"] = threads.ToString(CultureInfo.InvariantCulture),
            // Submission throughput is measured too: no per-key rate limit on this throwaway stack.
            ["Api__SubmissionsPerMinute"] = "100000",
        };
        return BenchStack.RunAsync("training", [.. all], workers: 1, settings, RunAsync);
    }

    public static async Task<int> RunAsync(string[] args, BenchStack? stack)
    {
        if (!TrainingSettings.TryParse(args, out var settings, out string? problem))
        {
            Console.Error.WriteLine($"training: {problem}");
            return 2;
        }
        var started = DateTimeOffset.UtcNow;
        int defaultThreads = get_num_threads();

        // Every tensor operation of this process happens in steps 1 to 3, before the first await, on one thread:
        // libtorch's OpenMP keeps one thread team per calling thread and stops spinning once the process holds more
        // teams than cores, so tensor work resumed on pool threads would measure a slower bare loop (TorchThread).

        // 1. The ceiling: a large matrix multiply at each thread count.
        var peak = new Dictionary<int, double>();
        foreach (int threads in TrainingSettings.ThreadCounts)
        {
            set_num_threads(threads);
            peak[threads] = MatmulPeak.Measure(repetitions: settings.Quick ? 5 : 9);
            Log($"matmul 2048^2, {threads} thread(s): {peak[threads]:F1} GFLOP/s");
        }

        // 2. The bare TorchSharp loop, every model, estimator and thread count.
        var bare = new Dictionary<(ModelKey, int), double>();
        foreach (var key in TrainingResults.Models)
        {
            foreach (int threads in TrainingSettings.ThreadCounts)
            {
                set_num_threads(threads);
                using var loop = new BareVaeLoop(key.Architecture, key.Estimator);
                bare[(key, threads)] = loop.Measure(settings.WarmUp, settings.Window, settings.Windows);
                Log($"bare TorchSharp {key.Architecture} {key.Estimator}, {threads} thread(s): {bare[(key, threads)]:F1} steps/s");
            }
        }

        // 3. Every Bernoulli estimator's step on the linear model, relative to st, in the bare loop.
        set_num_threads(settings.WorkerThreads);
        var costs = new List<(string Estimator, double StepsPerSecond)>();
        // The bare loop trains the ELBO; an estimator of a multi-sample bound (vimco) needs the service's VAE session.
        foreach (var definition in EstimatorRegistry.All.Where(d => d.AppliesTo(LatentDistribution.Bernoulli) && d.Name != "exact" && !d.NeedsImportanceWeights))
        {
            using var loop = new BareVaeLoop("linear", definition.Name);
            costs.Add((definition.Name, loop.Measure(settings.WarmUp / 2, settings.Window / 2, 3)));
            Log($"bare TorchSharp linear {definition.Name}: {costs[^1].StepsPerSecond:F1} steps/s");
        }
        set_num_threads(defaultThreads);

        // 4. The service: one bernoulli-vae run per model and estimator, through the API, trained by the real worker.
        var (apiKey, _) = PwgfClient.FindApiKey(settings.ApiKeyFile);
        using var client = new PwgfClient(settings.Url, apiKey, TimeSpan.FromSeconds(30));
        var (service, someRun) = await MeasureServiceAsync(client, settings);

        // 4b. One worker against two on this machine, while the queue holds nothing else.
        WorkerScaling.Result? scaling = null;
        if (stack is not null)
        {
            scaling = await WorkerScaling.MeasureAsync(client, stack, settings.Quick);
        }

        // 4c. Metric writes into the stack's database, with the worker's own statement.
        MetricWriteBench.Result? writes = null;
        ApiLoad.Result? api = null;
        if ((stack?.ConnectionString ?? Environment.GetEnvironmentVariable("ConnectionStrings__Pwgf")) is { Length: > 0 } connection && someRun is { } run)
        {
            writes = await MetricWriteBench.MeasureAsync(connection, run.Run, settings.Quick);
            Log($"metric writes: {writes.SmallFlushMs:F2} ms per flush of {writes.SmallFlushPoints} points, {writes.RowsPerSecond:F0} rows/s in batches of {writes.BatchPoints}");

            // 4d. Dashboard polling on a 100k-point series, then submissions.
            api = await ApiLoad.MeasureAsync(client, connection, run.Comparison, run.Run, settings.Quick);
            Log($"api: comparison p50 {api.Comparison.P50:F1} / p95 {api.Comparison.P95:F1} ms, series p50 {api.Metrics.P50:F1} / p95 {api.Metrics.P95:F1} ms, {api.SubmissionsPerSecond:F1} submissions/s");
        }

        // 5. The PyTorch peer at each thread count; it keeps its best.
        var peer = new Dictionary<(ModelKey, int), double>();
        string peerVersion = "not run";
        foreach (var key in TrainingResults.Models)
        {
            foreach (int threads in TrainingSettings.ThreadCounts)
            {
                var result = PeerBench.Run(settings.Python, settings.PeerScript, key.Architecture, key.Estimator, threads, settings.Windows, settings.Window);
                if (result is null) continue;
                peer[(key, threads)] = result.StepsPerSecond;
                peerVersion = result.Version;
                Log($"pytorch {result.Version} {key.Architecture} {key.Estimator}, {threads} thread(s): {result.StepsPerSecond:F1} steps/s");
            }
        }

        var results = new TrainingResults(started, DateTimeOffset.UtcNow, peak, bare, service, peer, peerVersion, costs, writes, api, scaling);
        string text = TrainingReport.Render(settings, results);
        Console.Write(text);
        if (settings.Output is { } output)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
            File.WriteAllText(output, text);
            Log($"written to {output}");
        }
        foreach (string line in TrainingReport.RatioLines(settings, results)) Console.WriteLine(line);
        return double.IsFinite(results.RatioVsBareLoop(settings.WorkerThreads)) && double.IsFinite(results.RatioVsPytorch()) ? 0 : 1;
    }

    /// <summary>
    /// Median of the run's steps_per_second points after the first: each point covers the steps since the previous
    /// evaluation (flushes, heartbeats and checkpoints included, evaluations excluded); the first also holds warm-up.
    /// </summary>
    private static async Task<(Dictionary<ModelKey, double> Rates, (Guid Comparison, Guid Run)? AnyRun)> MeasureServiceAsync(PwgfClient client, TrainingSettings settings)
    {
        var result = new Dictionary<ModelKey, double>();
        (Guid, Guid)? anyRun = null;
        int evalEvery = settings.ServiceSteps / 4;
        foreach (string architecture in TrainingSettings.Architectures)
        {
            string body = JsonSerializer.Serialize(new
            {
                task = "bernoulli-vae",
                taskOptions = new Dictionary<string, object>
                {
                    ["dataset"] = "synthetic", ["architecture"] = architecture, ["batchSize"] = 50, ["latentDims"] = 200,
                    ["evalImages"] = 100, ["importanceSamples"] = 10,
                },
                estimators = TrainingSettings.Estimators,
                seeds = new[] { 1 },
                steps = settings.ServiceSteps,
                evalEvery,
                optimizer = new { name = "adam", learningRate = 1e-3 },
            });
            Guid comparison = (await client.SubmitAsync(body, cancellationToken: CancellationToken.None)).Id;
            Log($"service: submitted bernoulli-vae {architecture} ({settings.ServiceSteps} steps per estimator)");
            var finished = await client.WaitForSuccessAsync(comparison, TimeSpan.FromSeconds(2), CancellationToken.None);
            foreach (var run in finished.Runs)
            {
                Guid runId = run.Id;
                anyRun = (comparison, runId);
                var points = await client.GetMetricAsync(runId, "steps_per_second", CancellationToken.None);
                var rate = new ModelKey(architecture, run.Estimator);
                result[rate] = Statistics.Median([.. points.Skip(1).Select(p => p.Value)]);
                Log($"service {architecture} {rate.Estimator}: {result[rate]:F1} steps/s");
            }
        }
        return (result, anyRun);
    }

    internal static string Format(double value) => double.IsFinite(value) ? value.ToString("F2", CultureInfo.InvariantCulture) : "n/a";

    private static void Log(string message) => Console.Error.WriteLine($"  {message}");
}

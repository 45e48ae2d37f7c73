using System.Globalization;
using System.Text;

namespace Pwgf.Bench.Training;

/// <summary>The markdown report of `./pwgf bench training` (docs/performance.md is this plus hand-written notes).</summary>
public static class TrainingReport
{
    public static string Render(TrainingSettings settings, TrainingResults results)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"## Training throughput ({(settings.Quick ? "quick" : "full")} run)");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"- Machine: {Environment.ProcessorCount} cores, {Machine.CpuModel()}, {Machine.Memory()}; load average at the end {Machine.LoadAverage()?.ToString("F2", CultureInfo.InvariantCulture) ?? "unknown"}.");
        text.AppendLine(CultureInfo.InvariantCulture, $"- Measured {results.Started:yyyy-MM-dd HH:mm} to {results.Finished:HH:mm} UTC. Model: bernoulli-vae, 200 latents, batch 50, Adam; linear = 784-200 / 200-784, nonlinear = 784-200-200-200 / 200-200-200-784.");
        text.AppendLine(CultureInfo.InvariantCulture, $"- Service = the real worker (one process, {settings.WorkerThreads} libtorch thread(s)) training a run submitted over HTTP: the median of its `steps_per_second` points after the first, which count metric flushes, heartbeats and checkpoints but not evaluations. Bare = the same step written by hand with TorchSharp modules in this process (no metrics, no database), at the worker's thread count. PyTorch = bench/peers/pytorch_vae.py on Debian's python3-torch {results.PeerVersion}, at its best of 1 and 2 threads. Each bare and PyTorch figure is the median of {settings.Windows} windows of {settings.Window} steps after {settings.WarmUp} warm-up steps.");
        text.AppendLine();
        text.AppendLine("| model | estimator | service | bare (1 thread) | bare (2 threads) | PyTorch (1 / 2 threads) | service / bare | service / PyTorch | GFLOP/s (service) |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var key in TrainingResults.Models)
        {
            var (architecture, estimator) = (key.Architecture, key.Estimator);
            double service = results.Service.GetValueOrDefault(key, double.NaN);
            double gflops = service * BareVaeLoop.MatmulFlops(architecture, estimator) / 1e9;
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {architecture} | {estimator} | {F1(service)} | {F1(results.Bare.GetValueOrDefault((key, 1), double.NaN))} | {F1(results.Bare.GetValueOrDefault((key, 2), double.NaN))} | {F1(results.Peer.GetValueOrDefault((key, 1), double.NaN))} / {F1(results.Peer.GetValueOrDefault((key, 2), double.NaN))} | {TrainingBench.Format(results.RatioToBare(key, settings.WorkerThreads))} | {TrainingBench.Format(results.RatioToPeer(key))} | {F1(gflops)} |");
        }
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Large matrix multiply (2048 x 2048, float32): {string.Join(", ", results.MatmulGflops.Select(p => $"{F1(p.Value)} GFLOP/s on {p.Key} thread(s)"))}. A step's GFLOP/s counts only its matrix products (forward, and two per product backward), so it is a lower bound on the work done.");
        text.AppendLine();
        double st = results.EstimatorSteps.FirstOrDefault(c => c.Estimator == "st").StepsPerSecond;
        text.AppendLine(CultureInfo.InvariantCulture, $"Cost per step of every Bernoulli estimator, bare loop, linear model, {settings.WorkerThreads} thread(s):");
        text.AppendLine();
        text.AppendLine("| estimator | steps/s | time per step relative to st |");
        text.AppendLine("|---|---|---|");
        foreach (var (estimator, rate) in results.EstimatorSteps)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {estimator} | {F1(rate)} | {(st > 0 ? (st / rate).ToString("F2", CultureInfo.InvariantCulture) : "n/a")} |");
        }
        text.AppendLine();
        if (results.MetricWrites is { } writes)
        {
            double slowest = results.Service.Values.DefaultIfEmpty(double.NaN).Min();
            text.AppendLine(CultureInfo.InvariantCulture, $"Metric writes (the worker's statement, one unnest INSERT per flush, against the stack's PostgreSQL): a flush of {writes.SmallFlushPoints} points takes {writes.SmallFlushMs:F2} ms (median). The loop flushes at most once a second, so writes hold training up for at most {writes.SmallFlushMs / 10:F2}% of the time. In batches of {writes.BatchPoints} points the database takes {writes.RowsPerSecond:F0} rows/s; a run that recorded 5 metrics at every step at {F1(slowest)} steps/s would need {5 * slowest / writes.RowsPerSecond * 100:F2}% of that.");
            text.AppendLine();
        }
        if (results.Api is { } api)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"API under load, on a run with a {api.Points:N0}-point series while nothing trains. Phase 1: {api.Pollers} dashboards open on the run, each polling every {ApiLoad.DashboardInterval.TotalSeconds:F0} s as the dashboard does (the comparison, then the points after its cursor, both with If-None-Match), starts spread over one interval; the target p95 < 50 ms is for these. Phase 2, capacity: the same {api.Pollers} pollers without pauses (closed loop), which saturates both cores, so their latency is mostly queueing. Phase 3: {api.Pollers} clients reloading the whole series with maxPoints=1000 back to back (the series does not change, so after the first read the API answers from its thinned-series cache):");
            text.AppendLine();
            text.AppendLine("| phase | request | requests/s | p50 ms | p95 ms | p99 ms | errors |");
            text.AppendLine("|---|---|---|---|---|---|---|");
            foreach (var (phase, row) in new[] { ("1 dashboards", api.Comparison), ("1 dashboards", api.Metrics), ("2 capacity", api.SaturatedComparison), ("2 capacity", api.SaturatedMetrics), ("3 page loads", api.PageLoads) })
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"| {phase} | {row.Endpoint} | {F1(row.PerSecond)} | {F1(row.P50)} | {F1(row.P95)} | {F1(row.P99)} | {row.Errors} |");
            }
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"Submissions (four clients, one-run toy comparisons back to back): {F1(api.SubmissionsPerSecond)} accepted per second, {api.SubmissionErrors} refused.");
            text.AppendLine();
        }
        if (results.Scaling is { } scaling)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Workers on this machine ({scaling.Runs} linear st runs of {scaling.Steps} steps, {(scaling.FixedThreads > 0 ? $"{scaling.FixedThreads} libtorch thread(s) per worker" : $"libtorch threads shared by the workers: {Environment.ProcessorCount} for one worker alone, {Math.Max(1, Environment.ProcessorCount / 2)} each for two")}, total steps over the time from submission to the last success): one worker {F1(scaling.OneWorkerStepsPerSecond)} steps/s, two workers {F1(scaling.TwoWorkersStepsPerSecond)} steps/s ({scaling.TwoWorkersStepsPerSecond / scaling.OneWorkerStepsPerSecond:F2}x).");
            text.AppendLine();
        }
        text.AppendLine(CultureInfo.InvariantCulture, $"ratio_vs_bare_loop = {TrainingBench.Format(results.RatioVsBareLoop(settings.WorkerThreads))} (target >= 0.9), ratio_vs_pytorch = {TrainingBench.Format(results.RatioVsPytorch())} (target >= 2.5): the lowest over models and estimators.");
        if (results.Api is { } measured)
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"API p95 with 50 dashboards polling = {F1(measured.DashboardP95)} ms (target < 50 ms).");
        }
        return text.ToString();
    }

    /// <summary>The command's last two lines, which scripts read.</summary>
    public static string[] RatioLines(TrainingSettings settings, TrainingResults results) =>
    [
        $"ratio_vs_bare_loop: {TrainingBench.Format(results.RatioVsBareLoop(settings.WorkerThreads))}",
        $"ratio_vs_pytorch: {TrainingBench.Format(results.RatioVsPytorch())}",
    ];

    private static string F1(double value) => double.IsFinite(value) ? value.ToString("F1", CultureInfo.InvariantCulture) : "n/a";
}

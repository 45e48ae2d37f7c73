using System.Diagnostics;
using System.Text.Json;
using Pwgf.Client;

namespace Pwgf.Bench;

/// <summary>
/// `./pwgf bench experiments`: submits the experiment plan to a running service through its HTTP API, waits for
/// every run, reads the summaries, metrics and PNG plots back and writes results.md beside the plots. A comparison the API refuses (a task
/// this build does not have, say) is reported as not run, and the others go on.
/// </summary>
public static class Experiments
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(60);
    private const int DefaultWorkers = 2;
    private const int DefaultTorchThreads = 1;

    /// <summary>
    /// The command as `./pwgf bench experiments` runs it: without --url, on a stack of its own of --workers workers
    /// (default 2) with --torch-threads libtorch threads each (default 1, or Worker__TorchThreads); the report goes to
    /// docs/ or, with --quick, to a new temporary folder, unless --output says where.
    /// </summary>
    public static Task<int> RunOnOwnStackAsync(string[] args)
    {
        string started = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        int workers = BenchStack.IntOption(args, "--workers") ?? DefaultWorkers;
        int threads = BenchStack.IntOption(args, "--torch-threads")
            ?? (int.TryParse(Environment.GetEnvironmentVariable("Worker__TorchThreads"), out int inherited) ? inherited : DefaultTorchThreads);
        var extra = new List<string>();
        if (!args.Contains("--workers")) extra.AddRange(["--workers", workers.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        if (!args.Contains("--torch-threads")) extra.AddRange(["--torch-threads", threads.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        if (!args.Contains("--commit")) extra.AddRange(["--commit", BenchStack.Commit()]);
        if (!args.Contains("--started")) extra.AddRange(["--started", started]);
        if (!args.Contains("--output"))
        {
            extra.AddRange(["--output", args.Contains("--quick")
                ? Directory.CreateTempSubdirectory("pwgf-results.").FullName
                : Path.Combine(BenchStack.SourceTree, "docs")]);
        }
        var settings = new Dictionary<string, string> { ["Worker__TorchThreads"] = threads.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        return BenchStack.RunAsync("experiments", [.. args, .. extra], workers, settings, (all, _) => RunAsync(all));
    }

    public static async Task<int> RunAsync(string[] args)
    {
        if (!ExperimentSettings.TryParse(args, out var settings, out string? problem))
        {
            Console.Error.WriteLine($"experiments: {problem}");
            return 2;
        }

        var (apiKey, keySource) = PwgfClient.FindApiKey(settings.ApiKeyFile);
        using var interrupt = new CancellationTokenSource();
        ConsoleCancelEventHandler onCtrlC = (_, e) => { e.Cancel = true; interrupt.Cancel(); };
        Console.CancelKeyPress += onCtrlC;
        using var client = new PwgfClient(settings.Url, apiKey, RequestTimeout);
        var runner = new ExperimentRunner(client, Progress);
        var clock = Stopwatch.StartNew();
        IReadOnlyList<SubmittedComparison> submitted = [];
        try
        {
            double? loadBefore = Machine.LoadAverage();
            Progress($"{(settings.Quick ? "quick" : "full")} budget; API key {keySource}; deadline {settings.Deadline.ToLocalTime():HH:mm:ss}");
            submitted = await runner.SubmitAsync(settings.Plan, interrupt.Token);
            bool finished = await runner.WaitAsync(submitted, settings.Deadline, interrupt.Token);
            if (!finished) await runner.CancelUnfinishedAsync(submitted);
            Progress($"training done after {clock.Elapsed.TotalMinutes:F1} min; reading the metrics back");

            var outcomes = new List<ComparisonOutcome>();
            foreach (var comparison in submitted) outcomes.Add(await runner.CollectAsync(comparison, interrupt.Token));
            double? loadAfter = Machine.LoadAverage();

            Directory.CreateDirectory(settings.PlotDirectory);
            var figures = new Dictionary<string, IReadOnlyList<Figure>>();
            foreach (var outcome in outcomes)
            {
                RemoveOldPlots(settings.PlotDirectory, outcome.Spec.Task);
                if (outcome.Runs.Count > 0) figures[outcome.Spec.Task] = await ComparisonFigures.SaveAsync(client, outcome, settings.PlotDirectory, interrupt.Token);
            }

            var results = new ExperimentResults(settings, settings.StartedAt, DateTimeOffset.UtcNow, loadBefore, loadAfter, !finished, outcomes);
            string report = ExperimentReport.Render(results, figures);
            Console.Write(report);
            File.WriteAllText(settings.ReportPath, report);
            Progress($"written {settings.ReportPath} and {figures.Values.Sum(f => f.Count)} plots in {settings.PlotDirectory}");

            var refused = outcomes.Where(o => o.Refusal is not null).Select(o => o.Spec.Task).ToList();
            if (refused.Count > 0) Progress($"NOTE: not run, refused by the API: {string.Join(", ", refused)} (see the report)");
            if (outcomes.Any(o => o.Runs.Any(r => r.Succeeded))) return 0;
            Console.Error.WriteLine("experiments: no run succeeded; the report says why");
            return 1;
        }
        catch (Exception exception) when (exception is ServiceException or PwgfApiException)
        {
            Console.Error.WriteLine($"experiments: {exception.Message}");
            return 1;
        }
        catch (OperationCanceledException) when (interrupt.IsCancellationRequested)
        {
            Console.Error.WriteLine("experiments: interrupted; cancelling the submitted comparisons, no report written");
            await runner.CancelUnfinishedAsync(submitted);
            return 130;
        }
        finally
        {
            Console.CancelKeyPress -= onCtrlC;
        }
    }

    /// <summary>Plots of an earlier report for this task, so a metric that is no longer drawn leaves no stale file.</summary>
    private static void RemoveOldPlots(string directory, string task)
    {
        foreach (string file in Directory.EnumerateFiles(directory, $"{task}-*.png")) File.Delete(file);
    }

    private static void Progress(string message) => Console.Error.WriteLine($"  {DateTime.Now:HH:mm:ss} {message}");
}

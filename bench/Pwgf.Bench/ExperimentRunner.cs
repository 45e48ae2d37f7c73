using System.Globalization;
using System.Text.Json;
using Pwgf.Api.Comparisons;
using Pwgf.Client;
using Pwgf.Infrastructure.Entities;
using Pwgf.Training;

namespace Pwgf.Bench;

/// <summary>A comparison of the plan after its submission: accepted (with an id) or refused (with the reason).</summary>
public sealed record SubmittedComparison(ExperimentSpec Spec, Guid? Id, string? Refusal, DateTimeOffset SubmittedAt);

/// <summary>
/// Drives the plan through the public API only: submits every comparison, polls until all runs have ended (or the
/// deadline passes, when it cancels what is left), then reads every run and its metric series back.
/// </summary>
public sealed class ExperimentRunner(PwgfClient client, Action<string> progress)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan QuietProgressInterval = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan CancelTimeout = TimeSpan.FromSeconds(90);
    /// <summary>Polls in a row that may fail (API restarting, a slow answer) before the bench gives up.</summary>
    private const int MaxFailedPolls = 12;

    private readonly Dictionary<Guid, DateTimeOffset> endedAt = [];
    private readonly HashSet<Guid> reportedFailures = [];

    public async Task<IReadOnlyList<SubmittedComparison>> SubmitAsync(IReadOnlyList<ExperimentSpec> plan, CancellationToken cancellationToken)
    {
        var submitted = new List<SubmittedComparison>();
        foreach (var spec in plan)
        {
            var answer = await client.TrySubmitAsync(spec.ToRequestJson(), cancellationToken);
            if (answer.Id is { } id)
            {
                progress($"submitted {spec.Task}: {spec.Estimators.Count} estimators x {spec.Seeds.Count} seeds = {spec.Runs} runs of {spec.Steps} steps (comparison {id})");
            }
            else
            {
                progress($"SKIPPED {spec.Task}: the API refused it with {(int)answer.Status}: {answer.ProblemText}");
            }
            submitted.Add(new SubmittedComparison(spec, answer.Id, answer.Id is null ? $"{(int)answer.Status} {answer.Status}: {answer.ProblemText}" : null, DateTimeOffset.UtcNow));
        }
        return submitted;
    }

    /// <summary>Polls until every run of every accepted comparison has ended; false when the deadline came first.</summary>
    public async Task<bool> WaitAsync(IReadOnlyList<SubmittedComparison> submitted, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var accepted = submitted.Where(s => s.Id is not null).ToList();
        string lastLine = "";
        var lastPrinted = DateTimeOffset.MinValue;
        int failedPolls = 0;
        while (true)
        {
            var parts = new List<string>();
            try
            {
                foreach (var comparison in accepted)
                {
                    parts.Add(await PollAsync(comparison, cancellationToken));
                }
                failedPolls = 0;
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or ServiceException or PwgfApiException or JsonException
                                              && !cancellationToken.IsCancellationRequested)
            {
                if (++failedPolls >= MaxFailedPolls) throw new ServiceException($"the API stopped answering: {exception.Message}");
                await Task.Delay(PollInterval, cancellationToken);
                continue;
            }

            string line = string.Join(" | ", parts);
            var now = DateTimeOffset.UtcNow;
            if (line != lastLine || now - lastPrinted >= QuietProgressInterval)
            {
                progress(line);
                lastLine = line;
                lastPrinted = now;
            }
            if (accepted.All(c => endedAt.ContainsKey(c.Id!.Value))) return true;
            if (now >= deadline) return false;
            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    /// <summary>Cancels every comparison that still has unfinished runs and waits (a bounded time) until they stop.</summary>
    public async Task CancelUnfinishedAsync(IReadOnlyList<SubmittedComparison> submitted)
    {
        using var limit = new CancellationTokenSource(CancelTimeout);
        var unfinished = submitted.Where(s => s.Id is { } id && !endedAt.ContainsKey(id)).ToList();
        try
        {
            foreach (var comparison in unfinished)
            {
                progress($"deadline: cancelling what is left of {comparison.Spec.Task}");
                await client.CancelComparisonAsync(comparison.Id!.Value, limit.Token);
            }
            while (unfinished.Any(c => !endedAt.ContainsKey(c.Id!.Value)))
            {
                foreach (var comparison in unfinished) await PollAsync(comparison, limit.Token);
                await Task.Delay(PollInterval, limit.Token);
            }
        }
        catch (Exception exception) when (exception is ServiceException or PwgfApiException or HttpRequestException or OperationCanceledException or JsonException)
        {
            progress($"warning: could not confirm that every cancelled run stopped ({exception.Message}); the report shows them as they were");
        }
    }

    /// <summary>
    /// Reads a comparison back: its stored options, the API's summary and pairwise tests of the score, every run and
    /// every metric series the report uses.
    /// </summary>
    public async Task<ComparisonOutcome> CollectAsync(SubmittedComparison submitted, CancellationToken cancellationToken)
    {
        if (submitted.Id is not { } id) return ComparisonOutcome.Refused(submitted.Spec, submitted.Refusal ?? "refused");

        var comparison = await client.GetComparisonAsync(id, cancellationToken);
        var runs = new List<RunResult>();
        foreach (var run in comparison.Runs)
        {
            var metrics = new Dictionary<string, IReadOnlyList<MetricPoint>>();
            foreach (string name in submitted.Spec.Metrics.All)
            {
                metrics[name] = await client.GetMetricAsync(run.Id, name, cancellationToken);
            }
            runs.Add(new RunResult(run.Id, run.Estimator, run.Seed, run.Status.ToString(), run.Step, run.Steps, run.Error,
                run.StartedAt, run.FinishedAt, metrics));
        }
        var ended = endedAt.TryGetValue(id, out var at) ? at : DateTimeOffset.UtcNow;
        return new ComparisonOutcome(submitted.Spec, id, null, ResolvedOptions(comparison.Specification), runs,
            (ended - submitted.SubmittedAt).TotalSeconds, comparison.Summary, comparison.Pairwise);
    }

    /// <summary>One poll of one comparison: notes its end and any new failure, and returns a short progress text.</summary>
    private async Task<string> PollAsync(SubmittedComparison comparison, CancellationToken cancellationToken)
    {
        var id = comparison.Id!.Value;
        var runs = (await client.GetComparisonAsync(id, cancellationToken)).Runs;
        int ended = 0;
        var running = new List<string>();
        foreach (var run in runs)
        {
            if (run.Status.IsFinal()) ended++;
            if (run.Status == RunStatus.Running) running.Add($"{run.Estimator}@{run.Step}");
            if (run.Status == RunStatus.Failed && reportedFailures.Add(run.Id))
            {
                progress($"{comparison.Spec.Task}: run {run.Estimator} seed {run.Seed} FAILED: {run.Error}");
            }
        }
        if (runs.Count > 0 && ended == runs.Count) endedAt.TryAdd(id, DateTimeOffset.UtcNow);
        string text = $"{comparison.Spec.Task} {ended}/{runs.Count}";
        return running.Count > 0 ? $"{text} (running {string.Join(", ", running)})" : text;
    }

    /// <summary>The task options as stored: numbers, named choices and lists, defaults included.</summary>
    private static IReadOnlyDictionary<string, string> ResolvedOptions(ComparisonSpecification specification)
    {
        var options = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in specification.TaskOptions) options[name] = value.ToString("G", CultureInfo.InvariantCulture);
        foreach (var (name, choice) in specification.TaskChoices ?? new Dictionary<string, string>()) options[name] = choice;
        foreach (var (name, list) in specification.TaskLists ?? new Dictionary<string, double[]>())
        {
            options[name] = JsonSerializer.Serialize(list);
        }
        return options;
    }
}

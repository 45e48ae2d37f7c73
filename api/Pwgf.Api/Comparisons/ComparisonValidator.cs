using System.Text.Json;
using Pwgf.Api.Catalog;
using Pwgf.Api.Hosting;
using Pwgf.Estimators;
using Pwgf.Training;

namespace Pwgf.Api.Comparisons;

/// <summary>
/// Checks a submission against the catalogue and the limits, and normalises it (defaults filled in). Every problem
/// is collected under the name of its field, so one response lists all of them.
/// </summary>
public static class ComparisonValidator
{
    /// <param name="request">The submission.</param>
    /// <param name="errors">Problems by field name; empty when the submission is valid.</param>
    /// <param name="datasetProblem">Why a dataset cannot be used on this deployment (not installed), or null when it can.</param>
    public static ComparisonSpecification? Validate(
        SubmitComparisonRequest request, out Dictionary<string, string[]> errors, Func<string, string?>? datasetProblem = null)
    {
        var problems = new FieldProblems();

        var task = ValidateTask(request, problems);
        var taskOptions = task is null ? null : ValidateTaskOptions(task, request.TaskOptions, problems);
        if (task is not null && taskOptions is not null && task.DatasetOf(taskOptions) is { } dataset
            && !problems.Has("taskOptions.dataset") && datasetProblem?.Invoke(dataset) is { } missing)
        {
            problems.Add("taskOptions.dataset", missing);
        }
        var estimators = ValidateEstimators(task, request.Estimators, problems);
        var seeds = ValidateSeeds(request.Seeds, problems);
        int steps = ValidateSteps(request.Steps, problems);
        int evalEvery = ValidateEvalEvery(request.EvalEvery, steps, problems);
        var optimizer = ValidateOptimizer(request.Optimizer, task?.DefaultLearningRate ?? Optimizers.DefaultLearningRate, problems);

        if (estimators.Count * seeds.Count > SubmissionLimits.MaxRuns)
        {
            problems.Add("seeds", $"{estimators.Count} estimators x {seeds.Count} seeds is more than {SubmissionLimits.MaxRuns} runs.");
        }

        errors = problems.ToDictionary();
        return errors.Count > 0 || task is null || taskOptions is null || optimizer is null
            ? null
            : new ComparisonSpecification(task.Name, taskOptions.Values, estimators, seeds, steps, optimizer, evalEvery,
                taskOptions.Lists.Count > 0 ? taskOptions.Lists : null,
                taskOptions.Choices.Count > 0 ? taskOptions.Choices : null);
    }

    private static TaskDefinition? ValidateTask(SubmitComparisonRequest request, FieldProblems problems)
    {
        if (string.IsNullOrWhiteSpace(request.Task))
        {
            problems.Add("task", $"Required. One of: {string.Join(", ", TaskRegistry.All.Select(t => t.Name))}.");
            return null;
        }
        var task = TaskRegistry.Find(request.Task);
        if (task is null)
        {
            problems.Add("task", $"Unknown task '{RequestReading.Clip(request.Task)}'. One of: {string.Join(", ", TaskRegistry.All.Select(t => t.Name))}.");
        }
        return task;
    }

    private static ParameterValues ValidateTaskOptions(
        TaskDefinition task, Dictionary<string, JsonElement>? options, FieldProblems problems)
    {
        options ??= [];
        var lists = RequestReading.ReadLists(options.Where(o => o.Value.ValueKind == JsonValueKind.Array), "taskOptions", problems);
        var texts = options.Where(o => o.Value.ValueKind == JsonValueKind.String).ToDictionary(o => o.Key, o => o.Value.GetString()!);
        var given = RequestReading.ReadNumbers(
            options.Where(o => o.Value.ValueKind is not (JsonValueKind.Array or JsonValueKind.String)).ToDictionary(), "taskOptions", problems);
        var resolved = ParameterSpec.Resolve(task.Name, task.Options, given, out var optionProblems, lists, texts);
        foreach (var (name, problem) in optionProblems.Concat(task.Check(resolved)))
        {
            problems.Add($"taskOptions.{RequestReading.Clip(name)}", RequestReading.ClipEcho(problem, name));
        }
        return resolved;
    }

    private static List<EstimatorChoice> ValidateEstimators(TaskDefinition? task, List<JsonElement>? entries, FieldProblems problems)
    {
        var choices = new List<EstimatorChoice>();
        if (entries is null || entries.Count == 0)
        {
            problems.Add("estimators", "Give at least one estimator (GET /api/v1/estimators lists them).");
            return choices;
        }
        if (entries.Count > SubmissionLimits.MaxEstimators)
        {
            problems.Add("estimators", $"At most {SubmissionLimits.MaxEstimators} estimators.");
            return choices;
        }

        choices.AddRange(RequestReading.ReadEstimators(entries, problems, definition =>
                task?.Refusal(definition) is { } reason ? $"'{definition.Name}' cannot run on '{task.Name}': {reason}." : null)
            .Select(e => new EstimatorChoice(e.Definition.Name, e.Label, e.Parameters.Values, RequestReading.ChoicesOrNull(e.Parameters))));
        return choices;
    }

    private static List<long> ValidateSeeds(List<long>? seeds, FieldProblems problems)
    {
        if (seeds is null || seeds.Count == 0)
        {
            problems.Add("seeds", "Give at least one seed.");
            return [];
        }
        if (seeds.Count > SubmissionLimits.MaxSeeds) problems.Add("seeds", $"At most {SubmissionLimits.MaxSeeds} seeds.");
        if (seeds.Distinct().Count() != seeds.Count) problems.Add("seeds", "Seeds must be distinct.");
        if (seeds.Any(s => s < 0)) problems.Add("seeds", "Seeds must be non-negative.");
        return seeds;
    }

    private static int ValidateSteps(int? steps, FieldProblems problems)
    {
        if (steps is null)
        {
            problems.Add("steps", "Required: the number of optimisation steps per run.");
            return 0;
        }
        if (steps is < 1 or > SubmissionLimits.MaxSteps)
        {
            problems.Add("steps", $"Must be between 1 and {SubmissionLimits.MaxSteps}.");
            return 0;
        }
        return steps.Value;
    }

    private static int ValidateEvalEvery(int? evalEvery, int steps, FieldProblems problems)
    {
        if (steps <= 0) return 0;
        int value = evalEvery ?? Math.Max(1, steps / 100);
        if (value < 1 || value > steps)
        {
            problems.Add("evalEvery", $"Must be between 1 and steps ({steps}).");
        }
        else if (steps / value > SubmissionLimits.MaxEvaluations)
        {
            problems.Add("evalEvery", $"Too many evaluations: steps / evalEvery must be at most {SubmissionLimits.MaxEvaluations}.");
        }
        return value;
    }

    private static OptimizerSpecification? ValidateOptimizer(OptimizerRequest? request, double defaultRate, FieldProblems problems)
    {
        string name = request?.Name ?? Optimizers.DefaultName;
        double rate = request?.LearningRate ?? defaultRate;
        bool valid = true;
        if (!Optimizers.Names.Contains(name))
        {
            problems.Add("optimizer.name", $"Unknown optimizer '{RequestReading.Clip(name)}'. One of: {string.Join(", ", Optimizers.Names)}.");
            valid = false;
        }
        if (!double.IsFinite(rate) || rate <= 0 || rate > Optimizers.MaxLearningRate)
        {
            problems.Add("optimizer.learningRate", $"Must be a number in (0, {Optimizers.MaxLearningRate}].");
            valid = false;
        }
        return valid ? new OptimizerSpecification(name, rate) : null;
    }
}

using System.Globalization;
using System.Text.Json;
using Pwgf.Api.Contracts;
using Pwgf.Estimators;
using Pwgf.Training;

namespace Pwgf.Api.Validation;

/// <summary>
/// Checks a submission against the catalogue and the limits, and normalises it (defaults filled in). Every problem
/// is collected under the name of its field, so one response lists all of them.
/// </summary>
public static class ComparisonValidator
{
    public static ComparisonSpecification? Validate(SubmitComparisonRequest request, out Dictionary<string, string[]> errors)
    {
        var problems = new Problems();

        var task = ValidateTask(request, problems);
        var taskOptions = task is null ? null : ValidateTaskOptions(task, request.TaskOptions, problems);
        var estimators = ValidateEstimators(task, request.Estimators, problems);
        var seeds = ValidateSeeds(request.Seeds, problems);
        int steps = ValidateSteps(request.Steps, problems);
        int evalEvery = ValidateEvalEvery(request.EvalEvery, steps, problems);
        var optimizer = ValidateOptimizer(request.Optimizer, problems);

        if (estimators.Count * seeds.Count > SubmissionLimits.MaxRuns)
        {
            problems.Add("seeds", $"{estimators.Count} estimators x {seeds.Count} seeds is more than {SubmissionLimits.MaxRuns} runs.");
        }

        errors = problems.ToDictionary();
        return errors.Count > 0 || task is null || taskOptions is null || optimizer is null
            ? null
            : new ComparisonSpecification(task.Name, taskOptions, estimators, seeds, steps, optimizer, evalEvery);
    }

    private static TaskDefinition? ValidateTask(SubmitComparisonRequest request, Problems problems)
    {
        if (string.IsNullOrWhiteSpace(request.Task))
        {
            problems.Add("task", $"Required. One of: {string.Join(", ", TaskRegistry.All.Select(t => t.Name))}.");
            return null;
        }
        var task = TaskRegistry.Find(request.Task);
        if (task is null)
        {
            problems.Add("task", $"Unknown task '{Clip(request.Task)}'. One of: {string.Join(", ", TaskRegistry.All.Select(t => t.Name))}.");
        }
        return task;
    }

    private static IReadOnlyDictionary<string, double>? ValidateTaskOptions(
        TaskDefinition task, Dictionary<string, JsonElement>? options, Problems problems)
    {
        var given = ReadNumbers(options ?? [], "taskOptions", problems);
        var resolved = ParameterSpec.Resolve(task.Name, task.Options, given, out var optionProblems);
        foreach (var (name, problem) in optionProblems) problems.Add($"taskOptions.{name}", problem);
        return resolved.Values;
    }

    private static List<EstimatorChoice> ValidateEstimators(TaskDefinition? task, List<JsonElement>? entries, Problems problems)
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

        for (int i = 0; i < entries.Count; i++)
        {
            string field = $"estimators[{i}]";
            if (!TryReadEstimator(entries[i], field, problems, out string name, out var given)) continue;

            var definition = EstimatorRegistry.Find(name);
            if (definition is null)
            {
                problems.Add(field, $"Unknown estimator '{Clip(name)}'. Known: {string.Join(", ", EstimatorRegistry.All.Select(e => e.Name))}.");
                continue;
            }
            if (task is not null && !task.Accepts(definition))
            {
                problems.Add(field, $"'{name}' cannot run on '{task.Name}' ({task.Distribution} latents).");
                continue;
            }
            var resolved = definition.Resolve(given, out var parameterProblems);
            foreach (var (parameter, problem) in parameterProblems) problems.Add($"{field}.{parameter}", problem);
            if (parameterProblems.Count > 0) continue;

            var choice = new EstimatorChoice(name, Label(definition, resolved), resolved.Values);
            if (choices.Any(c => c.Label == choice.Label))
            {
                problems.Add(field, $"'{choice.Label}' is listed twice.");
                continue;
            }
            choices.Add(choice);
        }
        return choices;
    }

    private static bool TryReadEstimator(
        JsonElement entry, string field, Problems problems, out string name, out Dictionary<string, double> parameters)
    {
        name = "";
        parameters = [];
        switch (entry.ValueKind)
        {
            case JsonValueKind.String:
                name = entry.GetString()!;
                return true;
            case JsonValueKind.Object:
                var properties = entry.EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
                if (!properties.Remove("name", out var nameElement) || nameElement.ValueKind != JsonValueKind.String)
                {
                    problems.Add($"{field}.name", "Required: the estimator's name as a string.");
                    return false;
                }
                name = nameElement.GetString()!;
                int before = problems.Count;
                parameters = ReadNumbers(properties, field, problems);
                return problems.Count == before;
            default:
                problems.Add(field, "An estimator is a name, or an object with a name and parameters.");
                return false;
        }
    }

    private static List<long> ValidateSeeds(List<long>? seeds, Problems problems)
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

    private static int ValidateSteps(int? steps, Problems problems)
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

    private static int ValidateEvalEvery(int? evalEvery, int steps, Problems problems)
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

    private static OptimizerSpecification? ValidateOptimizer(OptimizerRequest? request, Problems problems)
    {
        string name = request?.Name ?? SubmissionLimits.DefaultOptimizer;
        double rate = request?.LearningRate ?? SubmissionLimits.DefaultLearningRate;
        bool valid = true;
        if (!Optimizers.Names.Contains(name))
        {
            problems.Add("optimizer.name", $"Unknown optimizer '{Clip(name)}'. One of: {string.Join(", ", Optimizers.Names)}.");
            valid = false;
        }
        if (!double.IsFinite(rate) || rate <= 0 || rate > Optimizers.MaxLearningRate)
        {
            problems.Add("optimizer.learningRate", $"Must be a number in (0, {Optimizers.MaxLearningRate}].");
            valid = false;
        }
        return valid ? new OptimizerSpecification(name, rate) : null;
    }

    /// <summary>Parameter values are numbers or booleans (true = 1, false = 0).</summary>
    private static Dictionary<string, double> ReadNumbers(IReadOnlyDictionary<string, JsonElement> values, string field, Problems problems)
    {
        var numbers = new Dictionary<string, double>();
        foreach (var (name, element) in values)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Number when element.TryGetDouble(out double number) && double.IsFinite(number):
                    numbers[name] = number;
                    break;
                case JsonValueKind.True:
                    numbers[name] = 1;
                    break;
                case JsonValueKind.False:
                    numbers[name] = 0;
                    break;
                default:
                    problems.Add($"{field}.{Clip(name)}", "Must be a finite number or a boolean.");
                    break;
            }
        }
        return numbers;
    }

    /// <summary>The name, plus the parameters that differ from their defaults: "reinforce-loo(samples=4)".</summary>
    private static string Label(EstimatorDefinition definition, ParameterValues values)
    {
        var changed = definition.Parameters
            .Where(p => values.Values[p.Name] != p.Default)
            .Select(p => $"{p.Name}={values.Values[p.Name].ToString(CultureInfo.InvariantCulture)}")
            .ToList();
        return changed.Count == 0 ? definition.Name : $"{definition.Name}({string.Join(",", changed)})";
    }

    /// <summary>Echo at most a short prefix of user text back in messages.</summary>
    private static string Clip(string text) => text.Length <= 40 ? text : text[..40] + "...";

    private sealed class Problems
    {
        private readonly Dictionary<string, List<string>> _byField = [];

        public int Count => _byField.Values.Sum(list => list.Count);

        public void Add(string field, string problem)
        {
            if (!_byField.TryGetValue(field, out var list)) _byField[field] = list = [];
            list.Add(problem);
        }

        public Dictionary<string, string[]> ToDictionary() => _byField.ToDictionary(p => p.Key, p => p.Value.ToArray());
    }
}

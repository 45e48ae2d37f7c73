using System.Globalization;
using System.Text.Json;
using Pwgf.Api.Hosting;
using Pwgf.Estimators;

namespace Pwgf.Api.Catalog;

/// <summary>
/// Reading the parts of a request that comparisons and diagnostics share: estimator entries (a name, or an object
/// with a name and parameter values: numbers, booleans, or names for choice parameters) and parameter values given as JSON.
/// </summary>
internal static class RequestReading
{
    private static bool TryReadEstimator(
        JsonElement entry, string field, FieldProblems problems, out string name, out Dictionary<string, double> parameters,
        out Dictionary<string, string> choices)
    {
        name = "";
        parameters = [];
        choices = [];
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
                choices = properties.Where(p => p.Value.ValueKind == JsonValueKind.String).ToDictionary(p => p.Key, p => p.Value.GetString()!);
                parameters = ReadNumbers(properties.Where(p => p.Value.ValueKind != JsonValueKind.String).ToDictionary(), field, problems);
                return problems.Count == before;
            default:
                problems.Add(field, "An estimator is a name, or an object with a name and parameters.");
                return false;
        }
    }

    /// <summary>An estimator of a request, resolved: its definition, parameters (defaults filled) and label.</summary>
    public sealed record ResolvedEstimator(EstimatorDefinition Definition, ParameterValues Parameters, string Label);

    /// <summary>
    /// Reads every entry of an estimators list: each must name a known estimator that <paramref name="refusal"/>
    /// accepts (it returns the reason otherwise), with valid parameters, and none may repeat another's settings.
    /// Problems are filed under "estimators[i]" or "estimators[i].parameter"; the good entries are returned.
    /// </summary>
    public static List<ResolvedEstimator> ReadEstimators(
        IReadOnlyList<JsonElement> entries, FieldProblems problems, Func<EstimatorDefinition, string?> refusal)
    {
        var resolved = new List<ResolvedEstimator>();
        for (int i = 0; i < entries.Count; i++)
        {
            string field = $"estimators[{i}]";
            if (!TryReadEstimator(entries[i], field, problems, out string name, out var given, out var choices)) continue;

            var definition = EstimatorRegistry.Find(name);
            if (definition is null)
            {
                problems.Add(field, $"Unknown estimator '{Clip(name)}'. Known: {string.Join(", ", EstimatorRegistry.All.Select(e => e.Name))}.");
                continue;
            }
            if (refusal(definition) is { } reason)
            {
                problems.Add(field, reason);
                continue;
            }
            var parameters = definition.Resolve(given, out var parameterProblems, choices);
            foreach (var (parameter, problem) in parameterProblems) problems.Add($"{field}.{Clip(parameter)}", ClipEcho(problem, parameter));
            if (parameterProblems.Count > 0) continue;

            string label = Label(definition, parameters);
            if (resolved.Any(r => r.Label == label))
            {
                problems.Add(field, $"'{label}' is listed twice.");
                continue;
            }
            resolved.Add(new ResolvedEstimator(definition, parameters, label));
        }
        return resolved;
    }

    /// <summary>Parameter values are numbers or booleans (true = 1, false = 0).</summary>
    public static Dictionary<string, double> ReadNumbers(IReadOnlyDictionary<string, JsonElement> values, string field, FieldProblems problems)
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

    /// <summary>List-valued options (a cost vector) are arrays of finite numbers.</summary>
    public static Dictionary<string, double[]> ReadLists(
        IEnumerable<KeyValuePair<string, JsonElement>> arrays, string field, FieldProblems problems)
    {
        var lists = new Dictionary<string, double[]>();
        foreach (var (name, array) in arrays)
        {
            var items = array.EnumerateArray().ToList();
            if (items.All(i => i.ValueKind == JsonValueKind.Number && i.TryGetDouble(out double x) && double.IsFinite(x)))
            {
                lists[name] = [.. items.Select(i => i.GetDouble())];
            }
            else
            {
                problems.Add($"{field}.{Clip(name)}", "Must be a list of finite numbers.");
            }
        }
        return lists;
    }

    /// <summary>The name, plus the parameters that differ from their defaults: "reinforce-loo(samples=4)".</summary>
    private static string Label(EstimatorDefinition definition, ParameterValues values)
    {
        var changed = definition.Parameters
            .Select(p => p.Kind == ParameterKind.Choice
                ? (values.Choice(p.Name) != p.DefaultChoice ? $"{p.Name}={values.Choice(p.Name)}" : null)
                : (values.Values[p.Name] != p.Default ? $"{p.Name}={values.Values[p.Name].ToString(CultureInfo.InvariantCulture)}" : null))
            .OfType<string>()
            .ToList();
        return changed.Count == 0 ? definition.Name : $"{definition.Name}({string.Join(",", changed)})";
    }

    /// <summary>Resolved choice parameters, or null for an estimator without any (so stored JSON and hashes stay as before).</summary>
    public static IReadOnlyDictionary<string, string>? ChoicesOrNull(ParameterValues values) =>
        values.Choices.Count > 0 ? values.Choices : null;

    private const int EchoedLength = 40;

    /// <summary>Echo at most a short prefix of user text back in messages.</summary>
    public static string Clip(string text) => text.Length <= EchoedLength ? text : text[..EchoedLength] + "...";

    /// <summary>A message that quotes <paramref name="userText"/> (an unknown option's name), with the quote clipped.</summary>
    public static string ClipEcho(string message, string userText) =>
        userText.Length <= EchoedLength ? message : message.Replace(userText, Clip(userText), StringComparison.Ordinal);
}

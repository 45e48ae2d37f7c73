using System.Globalization;
using System.Text.Json;
using Pwgf.Estimators;

namespace Pwgf.Api.Validation;

/// <summary>
/// Reading the parts of a request that comparisons and diagnostics share: estimator entries (a name, or an object
/// with a name and parameter values) and parameter values given as JSON.
/// </summary>
internal static class RequestReading
{
    public static bool TryReadEstimator(
        JsonElement entry, string field, FieldProblems problems, out string name, out Dictionary<string, double> parameters)
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
    public static string Label(EstimatorDefinition definition, ParameterValues values)
    {
        var changed = definition.Parameters
            .Where(p => values.Values[p.Name] != p.Default)
            .Select(p => $"{p.Name}={values.Values[p.Name].ToString(CultureInfo.InvariantCulture)}")
            .ToList();
        return changed.Count == 0 ? definition.Name : $"{definition.Name}({string.Join(",", changed)})";
    }

    /// <summary>Echo at most a short prefix of user text back in messages.</summary>
    public static string Clip(string text) => text.Length <= 40 ? text : text[..40] + "...";
}

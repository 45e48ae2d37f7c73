using System.Text.Json;
using Pwgf.Api.Hosting;
using Pwgf.Estimators.Families;

namespace Pwgf.Api.Diagnostics;

/// <summary>
/// Reads the logits of a diagnostics request: one number per dimension (Bernoulli, Poisson) or one vector of class
/// logits per dimension (categorical), all finite and within the limits.
/// </summary>
internal static class LogitsReader
{
    /// <summary>A long array of wrong values would otherwise produce an error per element.</summary>
    public const int MaxReportedElements = 10;

    /// <summary>Logits or log-rates flattened dimension-major; Classes is 1 for Bernoulli and Poisson.</summary>
    public sealed record ParameterPoint(double[] Values, int Dims, int Classes);

    /// <summary>
    /// The logits (or log-rates) of a request as a flat point, or null when they are malformed (problems filed under
    /// "logits" or "logits[i]") or the distribution is unknown; values outside <see cref="DiagnosticsLimits"/> are
    /// reported in <paramref name="limits"/>.
    /// </summary>
    public static ParameterPoint? Read(
        LatentDistribution? distribution, JsonElement? logits, FieldProblems problems, List<string> limits)
    {
        if (logits is not { ValueKind: JsonValueKind.Array } array || array.GetArrayLength() == 0)
        {
            problems.Add("logits", distribution == LatentDistribution.Categorical
                ? "Required: one array of class logits per dimension, e.g. [[0, 1, -1], [2, 0, 0]]."
                : "Required: a non-empty array with one logit (Bernoulli) or log-rate (Poisson) per dimension.");
            return null;
        }
        if (distribution is null) return null; // the shape depends on it

        int before = problems.Count;
        var point = distribution == LatentDistribution.Categorical
            ? ReadMatrix(array, problems)
            : ReadVector(array, distribution.Value, problems);
        if (point is null || problems.Count > before) return null;

        CheckLogitLimits(point, distribution.Value, limits);
        return point;
    }

    private static ParameterPoint ReadVector(JsonElement array, LatentDistribution distribution, FieldProblems problems)
    {
        var values = new List<double>();
        int reported = 0;
        foreach (var (element, i) in array.EnumerateArray().Select((e, i) => (e, i)))
        {
            if (TryReadFinite(element, out double value))
            {
                values.Add(value);
            }
            else if (reported++ < MaxReportedElements)
            {
                problems.Add($"logits[{i}]", element.ValueKind == JsonValueKind.Array
                    ? $"{DiagnosticsValidator.NameOf(distribution)} latents take one number per dimension; arrays of logits are for categorical latents."
                    : "Must be a finite number.");
            }
        }
        return new ParameterPoint([.. values], values.Count, 1);
    }

    private static ParameterPoint? ReadMatrix(JsonElement array, FieldProblems problems)
    {
        var values = new List<double>();
        int classes = 0, firstRow = -1, reported = 0;
        foreach (var (row, i) in array.EnumerateArray().Select((e, i) => (e, i)))
        {
            string field = $"logits[{i}]";
            if (row.ValueKind != JsonValueKind.Array || row.GetArrayLength() < 2)
            {
                problems.Add(field, "Categorical latents take one array of at least 2 class logits per dimension.");
                continue;
            }
            if (firstRow < 0)
            {
                (firstRow, classes) = (i, row.GetArrayLength());
            }
            else if (row.GetArrayLength() != classes)
            {
                problems.Add(field, $"Has {row.GetArrayLength()} logits where logits[{firstRow}] has {classes}: every dimension needs the same number of classes.");
                continue;
            }
            foreach (var (element, j) in row.EnumerateArray().Select((e, j) => (e, j)))
            {
                if (TryReadFinite(element, out double value)) values.Add(value);
                else if (reported++ < MaxReportedElements) problems.Add($"{field}[{j}]", "Must be a finite number.");
            }
        }
        return firstRow < 0 ? null : new ParameterPoint([.. values], array.GetArrayLength(), classes);
    }

    private static void CheckLogitLimits(ParameterPoint point, LatentDistribution distribution, List<string> limits)
    {
        if (point.Dims > DiagnosticsLimits.MaxDims)
        {
            limits.Add($"Limit exceeded: dims <= {DiagnosticsLimits.MaxDims} (the logits have {point.Dims} dimensions).");
        }
        if (point.Classes > DiagnosticsLimits.MaxClasses)
        {
            limits.Add($"Limit exceeded: classes <= {DiagnosticsLimits.MaxClasses} (the logits have {point.Classes} classes per dimension).");
        }

        bool poisson = distribution == LatentDistribution.Poisson;
        string limit = poisson
            ? $"{DiagnosticsLimits.MinLogRate} <= log-rate <= {DiagnosticsLimits.MaxLogRate}"
            : $"|logit| <= {DiagnosticsLimits.MaxAbsLogit}";
        int outside = Array.FindIndex(point.Values, v => poisson
            ? v is < DiagnosticsLimits.MinLogRate or > DiagnosticsLimits.MaxLogRate
            : Math.Abs(v) > DiagnosticsLimits.MaxAbsLogit);
        if (outside >= 0)
        {
            string field = point.Classes == 1 ? $"logits[{outside}]" : $"logits[{outside / point.Classes}][{outside % point.Classes}]";
            limits.Add($"Limit exceeded: {limit} ({field} is {point.Values[outside]}).");
        }
    }

    private static bool TryReadFinite(JsonElement element, out double value)
    {
        value = 0;
        return element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out value) && double.IsFinite(value);
    }
}

using System.Text.Json;
using Pwgf.Api.Catalog;
using Pwgf.Api.Hosting;
using Pwgf.Estimators;
using Pwgf.Estimators.Families;
using Pwgf.Estimators.Objectives;

namespace Pwgf.Api.Diagnostics;

/// <summary>
/// A diagnostics request that passed validation and the limits: everything the audit needs. Point holds the logits
/// or log-rates flattened dimension-major; Classes is 1 for Bernoulli and Poisson.
/// </summary>
public sealed record DiagnosticsPlan(
    LatentDistribution Distribution,
    double[] Point,
    int Dims,
    int Classes,
    IExactObjective Objective,
    IReadOnlyList<PlannedEstimator> Estimators,
    int Samples,
    ulong Seed);

/// <summary>An estimator that applies to the plan's distribution, with its resolved parameters.</summary>
public sealed record PlannedEstimator(EstimatorDefinition Definition, IReadOnlyDictionary<string, double> Parameters);

/// <summary>
/// Checks a diagnostics request. Malformed or inconsistent fields are collected by field name (400); only a
/// well-formed request is checked against <see cref="DiagnosticsLimits"/>, whose violations are reported together
/// (422), each naming its limit.
/// </summary>
public static class DiagnosticsValidator
{
    public static IReadOnlyList<string> ObjectiveKinds { get; } = ["power", "linear-square"];

    /// <summary>A long array of wrong values would otherwise produce an error per element.</summary>
    private const int MaxReportedElements = 10;

    private sealed record ParameterPoint(double[] Values, int Dims, int Classes);

    public static DiagnosticsPlan? Validate(
        DiagnosticsRequest request, out Dictionary<string, string[]> errors, out string? exceededLimits)
    {
        var problems = new FieldProblems();
        var limits = new List<string>();

        var distribution = ValidateDistribution(request.Distribution, problems);
        var point = ValidateLogits(distribution, request.Logits, problems, limits);
        var objective = ValidateObjective(request.Objective, point?.Dims, problems);
        var estimators = ValidateEstimators(distribution, request.Estimators, problems, limits);
        int samples = ValidateSamples(request.Samples, point, problems, limits);
        long seed = request.Seed ?? DiagnosticsLimits.DefaultSeed;
        if (seed < 0) problems.Add("seed", "Must be a non-negative integer.");

        errors = problems.ToDictionary();
        exceededLimits = errors.Count == 0 && limits.Count > 0 ? string.Join(" ", limits) : null;
        if (errors.Count > 0 || limits.Count > 0 || distribution is null || point is null || objective is null) return null;
        return new DiagnosticsPlan(distribution.Value, point.Values, point.Dims, point.Classes, objective, estimators, samples, (ulong)seed);
    }

    public static string NameOf(LatentDistribution distribution) => distribution.ToString().ToLowerInvariant();

    private static LatentDistribution? ValidateDistribution(string? name, FieldProblems problems)
    {
        var known = Enum.GetValues<LatentDistribution>();
        string choices = string.Join(", ", known.Select(NameOf));
        if (string.IsNullOrWhiteSpace(name))
        {
            problems.Add("distribution", $"Required. One of: {choices}.");
            return null;
        }
        foreach (var distribution in known)
        {
            if (NameOf(distribution) == name) return distribution;
        }
        problems.Add("distribution", $"Unknown distribution '{RequestReading.Clip(name)}'. One of: {choices}.");
        return null;
    }

    private static ParameterPoint? ValidateLogits(
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
                    ? $"{NameOf(distribution)} latents take one number per dimension; arrays of logits are for categorical latents."
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

    private static IExactObjective? ValidateObjective(DiagnosticsObjectiveRequest? request, int? dims, FieldProblems problems)
    {
        if (request is null)
        {
            problems.Add("objective", """Required, e.g. {"kind": "power", "target": 0.45, "power": 2} or {"kind": "linear-square", "target": 1, "weights": [1, 2]}.""");
            return null;
        }
        int before = problems.Count;
        if (request.Target is not { } target || !double.IsFinite(target))
        {
            problems.Add("objective.target", "Required: a finite number.");
            target = 0;
        }

        switch (request.Kind)
        {
            case "power":
                double power = request.Power ?? 2;
                if (!double.IsFinite(power) || power < 1)
                {
                    problems.Add("objective.power", "Must be a finite number of at least 1 (below 1 the derivative of |v - t|^q is unbounded).");
                }
                if (request.Weights is not null) problems.Add("objective.weights", "Only the linear-square objective takes weights.");
                return problems.Count > before ? null : new PowerObjective(target, power, Reduction.Sum);

            case "linear-square":
                if (request.Power is not null) problems.Add("objective.power", "Only the power objective takes a power.");
                ValidateWeights(request.Weights, dims, problems);
                return problems.Count > before ? null : new LinearSquareObjective(request.Weights!, target);

            default:
                problems.Add("objective.kind", string.IsNullOrWhiteSpace(request.Kind)
                    ? $"Required. One of: {string.Join(", ", ObjectiveKinds)}."
                    : $"Unknown objective kind '{RequestReading.Clip(request.Kind)}'. One of: {string.Join(", ", ObjectiveKinds)}.");
                return null;
        }
    }

    private static void ValidateWeights(List<double>? weights, int? dims, FieldProblems problems)
    {
        if (weights is null)
        {
            problems.Add("objective.weights", "Required: one weight per dimension.");
            return;
        }
        // Named literals ("NaN") bind to doubles in this API, so finiteness is checked here.
        int reported = 0;
        for (int i = 0; i < weights.Count && reported < MaxReportedElements; i++)
        {
            if (double.IsFinite(weights[i])) continue;
            problems.Add($"objective.weights[{i}]", "Must be a finite number.");
            reported++;
        }
        if (dims is { } d && weights.Count != d)
        {
            problems.Add("objective.weights", $"Give one weight per dimension: {d}, not {weights.Count}.");
        }
    }

    private static List<PlannedEstimator> ValidateEstimators(
        LatentDistribution? distribution, List<JsonElement>? entries, FieldProblems problems, List<string> limits)
    {
        var planned = new List<PlannedEstimator>();
        if (entries is null || entries.Count == 0)
        {
            problems.Add("estimators", "Give at least one estimator (GET /api/v1/estimators lists them).");
            return planned;
        }
        if (entries.Count > DiagnosticsLimits.MaxEstimators)
        {
            limits.Add($"Limit exceeded: estimators <= {DiagnosticsLimits.MaxEstimators} (got {entries.Count}).");
            return planned;
        }

        planned.AddRange(RequestReading.ReadEstimators(entries, problems, definition =>
                distribution is { } d && !definition.AppliesTo(d)
                    ? $"'{definition.Name}' does not apply to {NameOf(d)} latents; it applies to {string.Join(", ", definition.Distributions.Select(NameOf))}."
                    : null)
            .Select(e => new PlannedEstimator(e.Definition, e.Parameters.Values)));
        return planned;
    }

    private static int ValidateSamples(long? requested, ParameterPoint? point, FieldProblems problems, List<string> limits)
    {
        long samples = requested ?? DiagnosticsLimits.DefaultSamples;
        if (samples < 2)
        {
            problems.Add("samples", "Must be at least 2 (a variance needs two samples).");
            return 0;
        }
        if (samples > DiagnosticsLimits.MaxSamples)
        {
            limits.Add($"Limit exceeded: samples <= {DiagnosticsLimits.MaxSamples} (got {samples}).");
            return 0;
        }
        if (point is not null && samples * point.Dims * point.Classes > DiagnosticsLimits.MaxSampleNumbers)
        {
            limits.Add($"Limit exceeded: samples x dims x classes <= {DiagnosticsLimits.MaxSampleNumbers} " +
                       $"(got {samples} x {point.Dims} x {point.Classes} = {samples * point.Dims * point.Classes}).");
        }
        return (int)samples;
    }

    private static bool TryReadFinite(JsonElement element, out double value)
    {
        value = 0;
        return element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out value) && double.IsFinite(value);
    }
}

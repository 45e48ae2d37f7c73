using System.Text.Json;
using Pwgf.Api.Catalog;
using Pwgf.Api.Hosting;
using Pwgf.Estimators;
using Pwgf.Estimators.Families;
using Pwgf.Estimators.Objectives;

namespace Pwgf.Api.Diagnostics;

/// <summary>
/// Checks a diagnostics request. Malformed or inconsistent fields are collected by field name (400); only a
/// well-formed request is checked against <see cref="DiagnosticsLimits"/>, whose violations are reported together
/// (422), each naming its limit.
/// </summary>
public static class DiagnosticsValidator
{
    public static IReadOnlyList<string> ObjectiveKinds { get; } = ["power", "linear-square"];

    public static DiagnosticsPlan? Validate(
        DiagnosticsRequest request, out Dictionary<string, string[]> errors, out string? exceededLimits)
    {
        var problems = new FieldProblems();
        var limits = new List<string>();

        var distribution = ValidateDistribution(request.Distribution, problems);
        var point = LogitsReader.Read(distribution, request.Logits, problems, limits);
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
        for (int i = 0; i < weights.Count && reported < LogitsReader.MaxReportedElements; i++)
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
                definition.NeedsImportanceWeights
                    ? $"'{definition.Name}' trains a multi-sample bound of a model's p(x, z) / q(z | x); these objectives have no data x, so only the VAE tasks run it."
                : distribution is { } d && !definition.AppliesTo(d)
                    ? $"'{definition.Name}' does not apply to {NameOf(d)} latents; it applies to {string.Join(", ", definition.Distributions.Select(NameOf))}."
                    : null)
            .Select(e => new PlannedEstimator(e.Definition, e.Parameters.Values, RequestReading.ChoicesOrNull(e.Parameters))));
        return planned;
    }

    private static int ValidateSamples(long? requested, LogitsReader.ParameterPoint? point, FieldProblems problems, List<string> limits)
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
}

using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;
using Pwgf.Api.Hosting.OpenApi;

namespace Pwgf.Api.Diagnostics;

/// <summary>
/// A gradient audit at one parameter point: every listed estimator's per-sample gradient, drawn many times,
/// against the exact gradient of E[f]. Unknown fields are refused.
/// </summary>
/// <param name="Distribution">"bernoulli", "categorical" or "poisson".</param>
/// <param name="Logits">Bernoulli: one logit per dimension. Poisson: one log-rate per dimension. Categorical: one
/// logit vector per dimension, all of the same length K, e.g. [[0, 1, -1], [2, 0, 0]].</param>
/// <param name="Objective">The objective f whose expectation is differentiated.</param>
/// <param name="Estimators">Estimator names, or objects such as {"name": "reinforce-loo", "samples": 4}.</param>
/// <param name="Samples">Per-sample gradient estimates drawn for each estimator; default 10000.</param>
/// <param name="Seed">Seed of the draws, a non-negative integer; default 0. Every estimator starts from it.</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record DiagnosticsRequest(
    [property: Required] string? Distribution,
    [property: Required, OneOf(typeof(double[]), typeof(double[][]))] JsonElement? Logits,
    [property: Required] DiagnosticsObjectiveRequest? Objective,
    [property: Required] List<JsonElement>? Estimators,
    long? Samples,
    long? Seed);

/// <summary>
/// v(z_i) is z_i for Bernoulli and Poisson latents and the class index 0..K-1 for categorical ones.
/// "power": f(z) = sum_i |v(z_i) - target|^power. "linear-square": f(z) = (sum_i weights_i v(z_i) - target)^2.
/// </summary>
/// <param name="Kind">"power" or "linear-square".</param>
/// <param name="Target">The target t.</param>
/// <param name="Power">power only: the exponent q, at least 1; default 2.</param>
/// <param name="Weights">linear-square only: one weight per dimension.</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record DiagnosticsObjectiveRequest([property: Required] string? Kind, [property: Required] double? Target, double? Power, List<double>? Weights);

/// <summary>The exact gradient and one audit per requested estimator, in request order.</summary>
/// <param name="Exact">dE[f]/d(logits or log-rates), flattened dimension-major (categorical: K entries per dimension).</param>
/// <param name="Results">One entry per requested estimator.</param>
public sealed record DiagnosticsResponse(IReadOnlyList<double> Exact, IReadOnlyList<EstimatorAudit> Results);

/// <summary>One estimator's per-sample gradient against the exact one; vectors are laid out like Exact.</summary>
/// <param name="Estimator">The estimator's name.</param>
/// <param name="Parameters">Its resolved parameters, defaults filled in.</param>
/// <param name="Evaluations">Evaluations of f per example the estimator spends (0 for the exact reference).</param>
/// <param name="Mean">Mean of the per-sample estimates.</param>
/// <param name="StandardError">Standard error of the mean: sqrt(variance / samples).</param>
/// <param name="Variance">Sample variance of the per-sample estimates.</param>
/// <param name="Bias">Mean minus exact.</param>
/// <param name="RelativeBias">||bias|| / ||exact||; null when the exact gradient is zero.</param>
/// <param name="CosineSimilarity">Cosine between mean and exact; null when either is zero.</param>
public sealed record EstimatorAudit(
    string Estimator,
    IReadOnlyDictionary<string, double> Parameters,
    int Evaluations,
    IReadOnlyList<double> Mean,
    IReadOnlyList<double> StandardError,
    IReadOnlyList<double> Variance,
    IReadOnlyList<double> Bias,
    double? RelativeBias,
    double? CosineSimilarity);

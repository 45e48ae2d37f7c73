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

/// <summary>
/// One estimator's per-sample gradient against the exact one; vectors are laid out like Exact. docs/reading-results.md
/// explains every field and how to read them together.
/// </summary>
/// <param name="Estimator">The estimator's name.</param>
/// <param name="Parameters">Its resolved parameters, defaults filled in.</param>
/// <param name="Evaluations">Evaluations of f per example the estimator spends (0 for the exact reference).</param>
/// <param name="Mean">Mean of the per-sample estimates.</param>
/// <param name="StandardError">Standard error of the mean: sqrt(variance / samples).</param>
/// <param name="Variance">Sample variance of the per-sample estimates.</param>
/// <param name="Bias">Mean minus exact.</param>
/// <param name="RelativeBias">||bias|| / ||exact||, Monte Carlo noise included; null when the exact gradient is zero.</param>
/// <param name="CosineSimilarity">Cosine between mean and exact; null when cosineSimilarityUnavailable says why.</param>
/// <param name="BiasTest">Test of zero bias: Hotelling's T^2 when the covariance can be estimated well (at least 10
/// samples per coordinate, at most 256 coordinates), else a chi-square on the standardised differences.</param>
/// <param name="RelativeBiasCorrected">sqrt(max(0, ||mean - exact||^2 - sum_i SE_i^2)) / ||exact||: the relative bias with
/// the noise's expected share taken out; null when the exact gradient is zero.</param>
/// <param name="RelativeBiasUpper95">Upper 95 % confidence bound on the true relative bias; null when the exact gradient is zero.</param>
/// <param name="CosineSimilarityUnavailable">"one-dimensional" (the cosine is always +-1), "exact-gradient-not-resolved"
/// (||exact|| below 3 sqrt(sum_i SE_i^2)) or "zero-mean"; null when the cosine is given.</param>
/// <param name="WorkNormalizedVariance">Mean per-coordinate variance x evaluations of f per estimate.</param>
/// <param name="SecondsPerEstimate">Measured wall time of one per-sample estimate in this request.</param>
/// <param name="TimeNormalizedVariance">Mean per-coordinate variance x seconds per estimate.</param>
/// <param name="Choices">Its resolved named-choice parameters (pwgf's projection); absent when it has none.</param>
public sealed record EstimatorAudit(
    string Estimator,
    IReadOnlyDictionary<string, double> Parameters,
    int Evaluations,
    IReadOnlyList<double> Mean,
    IReadOnlyList<double> StandardError,
    IReadOnlyList<double> Variance,
    IReadOnlyList<double> Bias,
    double? RelativeBias,
    double? CosineSimilarity,
    BiasTestSummary BiasTest,
    double? RelativeBiasCorrected,
    double? RelativeBiasUpper95,
    string? CosineSimilarityUnavailable,
    double WorkNormalizedVariance,
    double SecondsPerEstimate,
    double TimeNormalizedVariance,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, string>? Choices = null);

/// <summary>A test of zero bias: the probability of a statistic this large if the estimator were unbiased.</summary>
/// <param name="Method">"hotelling-t2" or "diagonal-chi-square".</param>
/// <param name="Statistic">Hotelling's T^2 or the chi-square sum; "Infinity" when a coordinate without spread differs
/// from the exact gradient.</param>
/// <param name="DegreesOfFreedom">Directions tested (the F law's first degrees of freedom, or the chi-square's).</param>
/// <param name="DenominatorDegreesOfFreedom">Hotelling only: samples minus directions; null for the chi-square.</param>
/// <param name="PValue">The p-value; small values reject "unbiased".</param>
public sealed record BiasTestSummary(string Method, double Statistic, int DegreesOfFreedom, int? DenominatorDegreesOfFreedom, double PValue);

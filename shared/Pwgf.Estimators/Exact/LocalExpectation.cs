using Pwgf.Estimators.Families;
using Pwgf.Estimators.Objectives;
using static TorchSharp.torch;

namespace Pwgf.Estimators.Exact;

/// <summary>
/// Local expectation gradients (Titsias and Lazaro-Gredilla 2015): one sample z, then for every coordinate i the
/// exact sum over its own values v with the other coordinates kept at the sample,
///     g_i = sum_v (f(z with z_i = v) - f(z with z_i = r)) d q_i(v) / d theta_i,
/// where the reference value r (the sampled class, or 0 for a count) does not depend on z_i, so subtracting it only
/// removes noise (sum_v d q_i(v) = 0). Bernoulli: d + 1 evaluations of f; categorical: d (K - 1) + 1.
/// Poisson coordinates have unbounded support: the sum runs over 0..n, and the rest of the support is covered by
/// one score-function term at the sample, 1[z_i &gt; n] (f(z) - f(z with z_i = 0)) d log q_i(z_i) / d eta_i, which keeps
/// the estimate unbiased at d (n + 1) + 1 evaluations. Summed over the whole support this is the conditional
/// expectation of exact-diff's g_i = lambda_i (f(z + e_i) - f(z)) given the other coordinates (the two share the
/// Poisson identity sum_v f(v) dq(v)/d eta = lambda E[f(z + 1) - f(z)]), so its variance is never larger.
/// </summary>
public sealed class LocalExpectation(LatentFamily family, int truncation) : IGradientEstimator
{
    public string Name => "leg";
    public LatentFamily Family => family;

    /// <summary>The largest count summed exactly per Poisson coordinate.</summary>
    public int Truncation => truncation;

    public int EvaluationsPerExample(int dims) => family.Distribution switch
    {
        LatentDistribution.Bernoulli => dims + 1,
        LatentDistribution.Poisson => dims * (truncation + 1) + 1,
        _ => throw new InvalidOperationException("The cost of leg on categorical latents depends on the classes: use EvaluationsPerExample(dims, classes)."),
    };

    public int EvaluationsPerExample(int dims, int classes) =>
        family.Distribution == LatentDistribution.Categorical ? dims * (classes - 1) + 1 : EvaluationsPerExample(dims);

    public Tensor Surrogate(Tensor parameters, IObjective objective, Generator? generator) => family.Distribution switch
    {
        LatentDistribution.Bernoulli => Bernoulli(parameters, objective, generator),
        LatentDistribution.Categorical => Categorical(parameters, objective, generator),
        _ => Poisson(parameters, objective, generator),
    };

    /// <summary>Only the flipped value differs from the sample: g_i = (f(flip_i z) - f(z)) d q(1 - z_i) / d phi_i.</summary>
    private Tensor Bernoulli(Tensor parameters, IObjective objective, Generator? generator)
    {
        long batch = parameters.shape[0], dims = parameters.shape[1];
        var sample = family.Sample(parameters, generator);                                   // [batch, dims]
        var flips = eye(dims, dtype: parameters.dtype, device: parameters.device).unsqueeze(1); // [dims, 1, dims]
        var flipped = sample + flips * (1 - 2 * sample);                                      // [dims, batch, dims]
        var values = objective.Evaluate(family, cat([sample.unsqueeze(0), flipped], 0).reshape((dims + 1) * batch, dims))
            .reshape(dims + 1, batch);
        var value = values[0];                                                                 // f(z)
        var differences = (values[1..] - value).detach().t();                                 // [batch, dims]
        var p = parameters.sigmoid();
        var other = sample * (1 - p) + (1 - sample) * p;                                       // q_i(1 - z_i)
        return value + (differences * (other - other.detach())).sum(-1);
    }

    /// <summary>Every other class r of every coordinate: g_i = sum_r (f(z with z_i = r) - f(z)) d pi_ir / d theta_i.</summary>
    private Tensor Categorical(Tensor parameters, IObjective objective, Generator? generator)
    {
        long batch = parameters.shape[0], dims = parameters.shape[1], classes = parameters.shape[2];
        var sample = family.Sample(parameters, generator);                                   // [batch, dims, K]
        var sampled = sample.argmax(-1);                                                       // [batch, dims]
        var shifts = arange(1, classes, dtype: ScalarType.Int64, device: parameters.device).reshape(-1, 1, 1); // [K - 1, 1, 1]
        var others = (sampled.unsqueeze(0) + shifts).remainder(classes);                       // [K - 1, batch, dims]
        var otherOneHot = nn.functional.one_hot(others, classes).to_type(parameters.dtype);    // [K - 1, batch, dims, K]

        // points[r, i] = the sample with coordinate i moved to its r-th other class
        var coordinate = eye(dims, dtype: parameters.dtype, device: parameters.device).reshape(1, dims, 1, dims, 1);
        var points = sample * (1 - coordinate) + otherOneHot.unsqueeze(1) * coordinate;       // [K - 1, dims, batch, dims, K]
        long rows = (classes - 1) * dims * batch;
        var values = objective.Evaluate(family, cat([sample, points.reshape(rows, dims, classes)], 0)); // sample-major
        var value = values[..(int)batch];                                                      // f(z)
        var differences = (values[(int)batch..].reshape(classes - 1, dims, batch).transpose(1, 2) - value.unsqueeze(-1))
            .detach();                                                                         // [K - 1, batch, dims]

        var probabilities = parameters.softmax(-1).unsqueeze(0).expand(classes - 1, batch, dims, classes);
        var atOthers = probabilities.gather(-1, others.unsqueeze(-1)).squeeze(-1);             // pi_ir, [K - 1, batch, dims]
        return value + (differences * (atOthers - atOthers.detach())).sum([0, 2]);
    }

    /// <summary>Counts 0..n summed exactly against f(z with z_i = 0); the tail beyond n through the sample's score.</summary>
    private Tensor Poisson(Tensor parameters, IObjective objective, Generator? generator)
    {
        long batch = parameters.shape[0], dims = parameters.shape[1], counts = truncation + 1;
        var sample = family.Sample(parameters, generator);                                   // [batch, dims]
        var support = arange(counts, dtype: parameters.dtype, device: parameters.device);     // [n + 1]
        var coordinate = eye(dims, dtype: parameters.dtype, device: parameters.device).reshape(1, dims, 1, dims);
        var points = sample * (1 - coordinate) + support.reshape(counts, 1, 1, 1) * coordinate; // [n + 1, dims, batch, dims]
        long rows = counts * dims * batch;
        var values = objective.Evaluate(family, cat([sample, points.reshape(rows, dims)], 0)); // sample-major
        var value = values[..(int)batch];                                                      // f(z)
        var local = values[(int)batch..].reshape(counts, dims, batch).transpose(1, 2);        // f(z with z_i = v), [n + 1, batch, dims]
        var reference = local[0];                                                              // f(z with z_i = 0)

        var rate = parameters.exp();
        var mass = (support.reshape(counts, 1, 1) * parameters - rate - (support + 1).lgamma().reshape(counts, 1, 1)).exp(); // q_i(v)
        var exact = ((local - reference).detach() * (mass - mass.detach())).sum([0]);          // [batch, dims]
        var sampleLogMass = sample * parameters - rate - (sample + 1).lgamma();
        var tail = (sample > truncation).to_type(parameters.dtype) * (value.unsqueeze(-1) - reference).detach();
        return value + (exact + tail * (sampleLogMass - sampleLogMass.detach())).sum(-1);
    }
}

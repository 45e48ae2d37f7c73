using Pwgf.Estimators.Families;
using Pwgf.Estimators.Objectives;
using static TorchSharp.torch;

namespace Pwgf.Estimators.ScoreFunction;

/// <summary>
/// ARMS (Dimitriev and Zhou 2021) for Bernoulli logits, with the Dirichlet copula: n Bernoulli(p) samples per
/// example that are pairwise negatively correlated, scored like leave-one-out REINFORCE and rescaled so the
/// correlation costs no bias. Per coordinate, d ~ Dirichlet(1, ..., 1) over the n samples gives uniforms
/// u_j = (1 - d_j)^(n - 1) (each U(0, 1), jointly antithetic); b_j = 1[u_j &lt; p] when p &lt; 1/2 and 1[1 - u_j &lt; p]
/// otherwise. With q = P(b_j = 1, b_k = 1) for j != k (the copula's bivariate CDF),
///     g_i = p (1 - p) / (p - q) * 1/(n - 1) * sum_j (f(b_j) - mean_k f(b_k)) (b_ji - p).
/// Unbiased; with n = 2 it is DisARM, with independent samples it would be leave-one-out REINFORCE.
/// </summary>
public sealed class AntitheticMultiSample(int samples) : IGradientEstimator
{
    public string Name => "arms";
    public LatentFamily Family => LatentFamily.Bernoulli;
    public int Samples => samples;

    public int EvaluationsPerExample(int dims) => samples;

    public Tensor Surrogate(Tensor parameters, IObjective objective, Generator? generator)
    {
        long batch = parameters.shape[0], dims = parameters.shape[1];
        int n = samples;
        var p = parameters.detach().sigmoid();                                              // [batch, dims]
        var exponentials = Noise.Exponential([n, batch, dims], parameters, generator);      // [n, batch, dims]
        var dirichlet = exponentials / exponentials.sum(0, keepdim: true);
        var copula = (1 - dirichlet).pow(n - 1);                                             // each U(0, 1)
        var rare = p < 0.5;                                                                  // couple the rarer outcome
        var u = where(rare, copula, 1 - copula);
        var bits = (u < p).to_type(parameters.dtype);                                        // [n, batch, dims]

        var values = objective.Evaluate(Family, bits.reshape(n * batch, dims)).reshape(n, batch); // sample-major
        var centred = (values - values.mean([0], keepdim: true)).detach().unsqueeze(-1);     // [n, batch, 1]
        var joint = where(rare, BivariateCdf(p, n), 2 * p - 1 + BivariateCdf(1 - p, n));    // P(b_j = 1, b_k = 1)
        var debias = p * (1 - p) / (p - joint);
        var perCoordinate = (centred * (bits - p)).sum([0]) * debias / (n - 1);                // [batch, dims]
        return values.mean([0]) + ((parameters - parameters.detach()) * perCoordinate).sum(-1);
    }

    /// <summary>The Dirichlet copula's C(q, q) = max(0, 2 q^(1/(n-1)) - 1)^(n-1).</summary>
    private static Tensor BivariateCdf(Tensor q, int n) => (2 * q.pow(1.0 / (n - 1)) - 1).clamp_min(0).pow(n - 1);
}

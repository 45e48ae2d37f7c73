using MathNet.Numerics;
using static TorchSharp.torch;

namespace Pwgf.UnitTests.Support;

/// <summary>
/// Mean and second moment of one coordinate's relaxed sample, by deterministic quadrature over its noise, as tensors
/// that carry gradient to the coordinate's parameters (the noise held fixed, as a pathwise estimator holds it). With a
/// quadratic f (<see cref="QuadraticForm"/>) they give E f at the relaxed samples, whose gradient is the relaxed
/// estimator's exact expectation.
/// </summary>
public static class RelaxationMoments
{
    /// <summary>Gumbel-softmax y = softmax((theta + G)/tau): mean [K] and E[y y^T] [K, K].</summary>
    public static (Tensor Mean, Tensor Second) GumbelSoftmax(Tensor logits, double temperature, IReadOnlyList<GumbelQuadrature.Piece> pieces)
    {
        var relaxed = Relaxed(logits, temperature, pieces);                            // [n, K]
        var weights = cat([.. pieces.Select(p => p.Weights)], 0);                     // [n]
        return ((weights.unsqueeze(-1) * relaxed).sum(0L), einsum("n,ni,nj->ij", weights, relaxed, relaxed));
    }

    /// <summary>
    /// GenGS's relaxed count sum_k c_k y_k for a log-rate leaf [1]: classes 0..n plus a remainder valued n + 1 with
    /// the tail mass, logits log P(k) (Joo et al. 2020), y = softmax((logits + G)/tau). Mean [1], second moment [1, 1].
    /// </summary>
    public static (Tensor Mean, Tensor Second) GeneralizedGumbelSoftmax(Tensor logRate, double temperature, int truncation, int order)
    {
        var logits = GeneralizedGumbelLogits(logRate, truncation);                     // [n + 2]
        double[] frozen = [.. logits.detach().data<double>()];
        var pieces = GumbelQuadrature.Conditional(frozen, order);
        var values = arange(truncation + 2, dtype: float64);
        var counts = (Relaxed(logits, temperature, pieces) * values).sum(-1);         // [n]
        var weights = cat([.. pieces.Select(p => p.Weights)], 0);
        return ((weights * counts).sum().reshape(1), (weights * counts.square()).sum().reshape(1, 1));
    }

    public static Tensor GeneralizedGumbelLogits(Tensor logRate, int truncation)
    {
        var counts = arange(truncation + 1, dtype: float64);
        var logMass = logRate * counts - logRate.exp() - (counts + 1).lgamma();       // [n + 1]
        var tail = (1 - logMass.exp().sum()).clamp_min(1e-300).log().reshape(1);
        return cat([logMass, tail], 0);
    }

    /// <summary>
    /// EAT's relaxed count z = sum_{k &lt;= n} s(S_k) with s(x) = sigmoid((1 - x e^-eta)/tau) and S_k a sum of k
    /// standard exponentials (a Gamma(k) variable), for a log-rate leaf [1]. Exactly:
    /// E z = int s(x) U(x) dx with U(x) = sum_{k&lt;=n} gamma_k(x) = P(Poisson(x) &lt;= n - 1), and
    /// E z^2 = int s^2 U dx + 2 int int s(x) s(x + r) V(x, r) dx dr with
    /// V(x, r) = sum_{j&lt;n} gamma_j(x) P(Poisson(r) &lt;= n - j - 1) (the later arrival is S_j plus an independent Gamma).
    /// </summary>
    public static (Tensor Mean, Tensor Second) ExponentialArrivals(Tensor logRate, double temperature, int arrivals)
    {
        double rate = Math.Exp(logRate.detach().item<double>());
        double upper = Math.Min(rate * (1 + 40 * temperature), arrivals + 12 * Math.Sqrt(arrivals) + 40);
        int panels = (int)Math.Clamp(Math.Ceiling(upper / (rate * temperature / 2)), 40, 400);
        var rule = Quadrature.Composite(0, upper, panels, 8);
        int n = rule.Nodes.Length;

        var renewal = rule.Nodes.Select(x => SpecialFunctions.GammaUpperRegularized(arrivals, x)).ToArray();   // U(x)
        var pairs = new double[n, n];                                                                          // V(x_a, r_b)
        for (int j = 1; j < arrivals; j++)
        {
            var density = rule.Nodes.Select(x => Math.Exp((j - 1) * Math.Log(x) - x - SpecialFunctions.GammaLn(j))).ToArray();
            var later = rule.Nodes.Select(r => SpecialFunctions.GammaUpperRegularized(arrivals - j, r)).ToArray();
            for (int a = 0; a < n; a++)
                for (int b = 0; b < n; b++) pairs[a, b] += density[a] * later[b];
        }

        var nodes = tensor(rule.Nodes, dtype: float64);
        var weights = tensor(rule.Weights, dtype: float64);
        var single = Indicator(nodes, logRate, temperature);                                                   // [n]
        var shifted = Indicator(nodes.unsqueeze(1) + nodes.unsqueeze(0), logRate, temperature);                // [n, n]
        var mean = (weights * single * tensor(renewal, dtype: float64)).sum();
        var diagonal = (weights * single.square() * tensor(renewal, dtype: float64)).sum();
        var cross = (weights.outer(weights) * single.unsqueeze(1) * shifted * tensor(pairs, dtype: float64)).sum();
        return (mean.reshape(1), (diagonal + 2 * cross).reshape(1, 1));
    }

    private static Tensor Indicator(Tensor arrival, Tensor logRate, double temperature) =>
        ((1 - arrival * (-logRate).exp()) / temperature).sigmoid();

    private static Tensor Relaxed(Tensor logits, double temperature, IReadOnlyList<GumbelQuadrature.Piece> pieces) =>
        ((logits.unsqueeze(0) + cat([.. pieces.Select(p => p.Noise)], 0)) / temperature).softmax(-1);
}

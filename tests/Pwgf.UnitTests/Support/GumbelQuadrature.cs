using static TorchSharp.torch;

namespace Pwgf.UnitTests.Support;

/// <summary>
/// A deterministic stand-in for K independent standard Gumbel perturbations G of logits theta, split by the class D
/// that wins argmax(theta + G), for integrands that see G only through differences (softmax, argmax).
/// <para>
/// Why it is exact: with E_k = e^(-G_k) ~ Exp(1), T_k = E_k / alpha_k ~ Exp(alpha_k) (alpha = e^theta) and the winner
/// D = argmin T, which has probability alpha_D / A (A = sum alpha). Given D, the minimum m ~ Exp(A) and the excesses
/// T_j - m ~ Exp(alpha_j) are independent (memorylessness), so rho_j = (T_j - m) / m has density
/// (K-1)! A prod(alpha_j) / (A + sum alpha_j rho_j)^K. The substitution p_j = x_j / (1 + sum x), x_j = alpha_j rho_j / A,
/// turns that into the uniform density (K-1)! on the simplex {p_j >= 0, sum p_j &lt;= 1}, integrated here by
/// stick-breaking and graded Gauss-Legendre. Up to a shift common to every class, G_D = -theta_D and
/// G_j = -theta_j - log(1 + rho_j). Conditioning on D keeps every integrand smooth, also when it uses the hard sample.
/// </para>
/// </summary>
public static class GumbelQuadrature
{
    /// <summary>Nodes where the winner is <paramref name="Winner"/>: noise [n, K] and weights [n] summing to P(winner).</summary>
    public sealed record Piece(int Winner, Tensor Noise, Tensor Weights);

    public static IReadOnlyList<Piece> Conditional(double[] logits, int order)
    {
        int classes = logits.Length, dims = classes - 1;
        double top = logits.Max();
        var alpha = logits.Select(t => Math.Exp(t - top)).ToArray();
        double total = alpha.Sum();
        var (simplex, simplexWeights) = Simplex(dims, order);

        var pieces = new List<Piece>();
        for (int winner = 0; winner < classes; winner++)
        {
            var noise = new double[simplex.Length, classes];
            var weights = new double[simplex.Length];
            for (int n = 0; n < simplex.Length; n++)
            {
                var p = simplex[n];
                double rest = 1 - p.Sum();
                noise[n, winner] = -logits[winner];
                for (int i = 0, j = 0; j < classes; j++)
                {
                    if (j == winner) continue;
                    double rho = total / alpha[j] * p[i++] / rest;
                    noise[n, j] = -logits[j] - Math.Log(1 + rho);
                }
                weights[n] = simplexWeights[n] * alpha[winner] / total;
            }
            pieces.Add(new Piece(winner, tensor(noise, dtype: float64), tensor(weights, dtype: float64)));
        }
        return pieces;
    }

    /// <summary>Points of {p >= 0, sum p &lt;= 1} in <paramref name="dims"/> dimensions with weights summing to 1.</summary>
    private static (double[][] Points, double[] Weights) Simplex(int dims, int order)
    {
        var rule = Quadrature.GradedUnitInterval(order);
        var points = new List<double[]>();
        var weights = new List<double>();
        Expand(0, new double[dims], 1.0, 1.0);
        double factorial = Enumerable.Range(1, dims).Aggregate(1.0, (a, b) => a * b);
        return ([.. points], [.. weights.Select(w => w * factorial)]);

        // Stick-breaking: p_i = remaining * u_i, with Jacobian the product of the remaining lengths.
        void Expand(int i, double[] p, double remaining, double weight)
        {
            if (i == dims)
            {
                points.Add([.. p]);
                weights.Add(weight);
                return;
            }
            for (int k = 0; k < rule.Nodes.Length; k++)
            {
                p[i] = remaining * rule.Nodes[k];
                Expand(i + 1, p, remaining * (1 - rule.Nodes[k]), weight * rule.Weights[k] * remaining);
            }
        }
    }
}

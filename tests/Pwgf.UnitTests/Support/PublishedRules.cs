using MathNet.Numerics.LinearAlgebra;
using Pwgf.Estimators.Families;

namespace Pwgf.UnitTests.Support;

/// <summary>
/// One coordinate's per-sample gradient, written out from each estimator's published or derived definition in plain
/// double arithmetic, independently of the library: the gradient with respect to the coordinate's parameters
/// (a logit, a log-rate, or K logits) given the sample and grad_z f at it.
/// </summary>
/// <param name="parameters">[phi], [eta], or the K logits.</param>
/// <param name="sample">[z], or the one-hot sample.</param>
/// <param name="sampleGradient">[df/dz], or df/dz for each one-hot entry.</param>
public delegate double[] CoordinateRule(double[] parameters, double[] sample, double[] sampleGradient);

public static class PublishedRules
{
    /// <summary>Straight-through: the sample's Jacobian is the mean's (p(1 - p), lambda, J(pi) = diag(pi) - pi pi^T).</summary>
    public static CoordinateRule StraightThrough(LatentDistribution distribution) => distribution switch
    {
        LatentDistribution.Bernoulli => (phi, _, v) => [v[0] * Sigmoid(phi[0]) * (1 - Sigmoid(phi[0]))],
        LatentDistribution.Poisson => (eta, _, v) => [v[0] * Math.Exp(eta[0])],
        _ => (theta, _, v) => Times(SoftmaxJacobian(Softmax(theta)), v),
    };

    /// <summary>
    /// pwgf's W2 projection: dz/dp := z/(2p) + (1 - z)/(2(1 - p)); dz/dlambda := (z + lambda)/(2 lambda), optionally
    /// over 1 + 1/(4 lambda); categorical: the affine field matching d/dtheta of mean and covariance (see Lyapunov).
    /// </summary>
    public static CoordinateRule WassersteinProjection(LatentDistribution distribution, bool preconditioned = false) => distribution switch
    {
        LatentDistribution.Bernoulli => (phi, z, v) =>
        {
            double p = Sigmoid(phi[0]);
            return [v[0] * (z[0] / (2 * p) + (1 - z[0]) / (2 * (1 - p))) * p * (1 - p)];
        },
        LatentDistribution.Poisson => (eta, z, v) =>
        {
            double rate = Math.Exp(eta[0]);
            double perRate = v[0] * (z[0] + rate) / (2 * rate) / (preconditioned ? 1 + 1 / (4 * rate) : 1);
            return [perRate * rate];
        },
        _ => (theta, z, v) => CategoricalFields(theta, z).Select(field => Dot(field, v)).ToArray(),
    };

    /// <summary>
    /// ReinMax (Liu et al. 2023; microsoft/ReinMax): (2 J(pi1) - J(pi)/2) v with pi1 = (softmax(theta/tau) + D)/2.
    /// A Bernoulli coordinate is the two-class categorical with logits (0, phi) and f seeing the second entry.
    /// </summary>
    public static CoordinateRule ReinMax(LatentDistribution distribution, double temperature) => distribution switch
    {
        LatentDistribution.Bernoulli => (phi, z, v) =>
            [CategoricalReinMax([0, phi[0]], [1 - z[0], z[0]], [0, v[0]], temperature)[1]],
        _ => (theta, z, v) => CategoricalReinMax(theta, z, v, temperature),
    };

    /// <summary>
    /// Gapped straight-through (Fan et al. 2022, gst_mover of chijames/GST): m_D = max theta, m_j = min(theta_j,
    /// max theta - gap) for the others, gradient J(softmax(m/tau))^T v / tau. With an adaptive gap (GST-p) the gap is
    /// -log(1 - q)/q, q = pi_D (1 - 1e-5), the reference code's shrink included.
    /// </summary>
    public static CoordinateRule GappedStraightThrough(double gap, double temperature, bool adaptive) => (theta, z, v) =>
    {
        int sampled = Array.IndexOf(z, 1.0);
        double largest = theta.Max();
        double q = Softmax(theta)[sampled] * (1 - 1e-5);
        double used = adaptive ? -Math.Log(1 - q) / q : gap;
        var moved = theta.Select((t, j) => (j == sampled ? largest : Math.Min(t, largest - used)) / temperature).ToArray();
        return Times(SoftmaxJacobian(Softmax(moved)), v).Select(g => g / temperature).ToArray();
    };

    /// <summary>
    /// The categorical W2 fields u_k(z) = dpi/dtheta_k + L_k (z - pi), where L_k is the symmetric solution of
    /// S L + L S = dS/dtheta_k on the plane sum(z) = 1 (S = diag(pi) - pi pi^T), solved here as the Kronecker-product
    /// linear system (I x S + S x I) vec(L) = vec(dS) in an orthonormal basis of the plane from a QR factorisation.
    /// </summary>
    public static double[][] CategoricalFields(double[] theta, double[] z)
    {
        int k = theta.Length;
        var pi = Softmax(theta);
        var m = Matrix<double>.Build;
        var covariance = m.DenseOfArray(SoftmaxJacobian(pi));
        var differences = m.Dense(k, k - 1, (i, j) => i == j ? 1 : i == k - 1 ? -1 : 0);
        var plane = differences.QR().Q.SubMatrix(0, k, 0, k - 1);                        // orthonormal, columns sum to 0
        var reduced = plane.TransposeThisAndMultiply(covariance).Multiply(plane);
        var identity = m.DenseIdentity(k - 1);
        var lyapunov = identity.KroneckerProduct(reduced) + reduced.KroneckerProduct(identity);
        var centred = Vector<double>.Build.DenseOfArray([.. z.Select((x, i) => x - pi[i])]);

        var fields = new double[k][];
        for (int c = 0; c < k; c++)
        {
            var a = covariance.Column(c);                                                  // dpi/dtheta_c
            var change = m.DenseOfDiagonalVector(a) - a.OuterProduct(Vector<double>.Build.DenseOfArray(pi))
                         - Vector<double>.Build.DenseOfArray(pi).OuterProduct(a);
            var rhs = plane.TransposeThisAndMultiply(change).Multiply(plane);
            var solved = m.DenseOfColumnMajor(k - 1, k - 1, lyapunov.Solve(Vector<double>.Build.DenseOfArray(rhs.ToColumnMajorArray())).ToArray());
            var l = plane * solved * plane.Transpose();
            fields[c] = (a + l * centred).ToArray();
        }
        return fields;
    }

    private static double[] CategoricalReinMax(double[] theta, double[] z, double[] v, double temperature)
    {
        var pi = Softmax(theta);
        var tempered = Softmax([.. theta.Select(t => t / temperature)]);
        var pi1 = tempered.Select((t, i) => (t + z[i]) / 2).ToArray();
        var first = Times(SoftmaxJacobian(pi1), v);
        var second = Times(SoftmaxJacobian(pi), v);
        return first.Select((g, i) => 2 * g - second[i] / 2).ToArray();
    }

    public static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    public static double[] Softmax(double[] logits)
    {
        double top = logits.Max();
        var e = logits.Select(x => Math.Exp(x - top)).ToArray();
        double total = e.Sum();
        return [.. e.Select(x => x / total)];
    }

    /// <summary>diag(q) - q q^T, symmetric, so it is its own transpose.</summary>
    public static double[,] SoftmaxJacobian(double[] q)
    {
        var j = new double[q.Length, q.Length];
        for (int a = 0; a < q.Length; a++)
            for (int b = 0; b < q.Length; b++) j[a, b] = (a == b ? q[a] : 0) - q[a] * q[b];
        return j;
    }

    private static double[] Times(double[,] matrix, double[] v)
    {
        var result = new double[v.Length];
        for (int a = 0; a < v.Length; a++)
            for (int b = 0; b < v.Length; b++) result[a] += matrix[a, b] * v[b];
        return result;
    }

    private static double Dot(double[] a, double[] b) => a.Select((x, i) => x * b[i]).Sum();
}

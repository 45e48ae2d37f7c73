using Pwgf.Estimators.Families;
using Pwgf.Estimators.Objectives;
using static TorchSharp.torch;

namespace Pwgf.Estimators.Pathwise;

/// <summary>
/// pwgf with the W2 projection for categorical latents (docs/pwgf.md). A one-hot sample z has mean pi and covariance
/// S = diag(pi) - pi pi^T. In the Gaussian (mean, covariance) W2 geometry, the one in which the Bernoulli and Poisson
/// rules use (mean, std), moving along logit k moves every particle by the affine field
/// u_k(z) = dpi/dtheta_k + L_k (z - pi), where the symmetric L_k solves S L_k + L_k S = dS/dtheta_k on the plane the
/// samples live in (coordinates summing to 1). Projecting the particle step -grad f onto these fields gives the
/// per-sample gradient g_k = grad f(z) . u_k(z). The fields reproduce d/dtheta of the first two moments, so the
/// estimate is exactly unbiased for quadratic f; with two classes it is the Bernoulli rule, and for K > 2 it differs
/// from ReinMax per sample (and in mean for non-quadratic f).
/// </summary>
public sealed class CategoricalWassersteinProjection : IGradientEstimator
{
    /// <summary>
    /// Floor of lambda_i + lambda_j in the Lyapunov solve: a pair of directions that both carry less probability than
    /// this gets a smaller field than the exact solution, which only matters for samples rarer than that.
    /// </summary>
    private const double EigenvalueFloor = 1e-12;

    public string Name => "pwgf";
    public LatentFamily Family => LatentFamily.Categorical;

    public int EvaluationsPerExample(int dims) => 1;

    public Tensor Surrogate(Tensor parameters, IObjective objective, Generator? generator)
    {
        var sample = Family.Sample(parameters, generator);                                  // [batch, dims, K]
        Tensor jacobian;
        using (no_grad())
        {
            jacobian = SampleJacobian(parameters.detach().to_type(ScalarType.Float64), sample.to_type(ScalarType.Float64))
                .to_type(parameters.dtype);                                                 // [batch, dims, K, K]
        }
        var step = (parameters - parameters.detach()).unsqueeze(-1);                        // [batch, dims, K, 1]
        return objective.Evaluate(Family, sample + jacobian.matmul(step).squeeze(-1));
    }

    /// <summary>dz_j / dtheta_k = (u_k(z))_j for each sample, in double precision: [..., K] -> [..., K, K].</summary>
    private static Tensor SampleJacobian(Tensor logits, Tensor sample)
    {
        long classes = logits.shape[^1];
        var pi = logits.softmax(-1);                                                        // [..., K]
        var covariance = pi.diag_embed() - pi.unsqueeze(-1) * pi.unsqueeze(-2);            // [..., K, K], also dpi/dtheta
        // dS/dtheta_k = diag(a_k) - a_k pi^T - pi a_k^T with a_k = dpi/dtheta_k, the k-th row of the (symmetric) covariance.
        var covarianceChange = covariance.diag_embed()                                      // [..., K, K, K]: [k, i, j]
            - covariance.unsqueeze(-1) * pi.unsqueeze(-2).unsqueeze(-2)                     // a_k[i] pi[j]
            - pi.unsqueeze(-2).unsqueeze(-1) * covariance.unsqueeze(-2);                    // pi[i] a_k[j]

        // Solve on the plane sum(z) = 1: an orthonormal basis Q of the vectors summing to 0, then the eigenbasis of
        // Q^T S Q, where the Lyapunov equation decouples: (L)_ij = (dS)_ij / (lambda_i + lambda_j).
        var plane = PlaneBasis(classes, logits);                                            // [K, K-1]
        var (eigenvalues, eigenvectors) = linalg.eigh(plane.t().matmul(covariance).matmul(plane)); // [..., K-1], [..., K-1, K-1]
        var basis = plane.matmul(eigenvectors);                                             // [..., K, K-1]
        var basisT = basis.transpose(-2, -1).unsqueeze(-3);                                // [..., 1, K-1, K]
        var rotated = basisT.matmul(covarianceChange).matmul(basis.unsqueeze(-3));         // [..., K, K-1, K-1]
        var denominators = (eigenvalues.unsqueeze(-1) + eigenvalues.unsqueeze(-2)).clamp_min(EigenvalueFloor);
        var solved = rotated / denominators.unsqueeze(-3);                                  // L_k in the eigenbasis

        var centred = basis.transpose(-2, -1).matmul((sample - pi).unsqueeze(-1));          // [..., K-1, 1]
        var fields = basis.unsqueeze(-3).matmul(solved.matmul(centred.unsqueeze(-3))).squeeze(-1); // [..., K(k), K(j)]
        return covariance + fields.transpose(-2, -1);                                      // [..., j, k]
    }

    /// <summary>Helmert basis: K-1 orthonormal columns, each summing to zero.</summary>
    private static Tensor PlaneBasis(long classes, Tensor like)
    {
        var basis = new double[classes, classes - 1];
        for (long m = 1; m < classes; m++)
        {
            double norm = Math.Sqrt(m * (m + 1.0));
            for (long i = 0; i < m; i++) basis[i, m - 1] = 1 / norm;
            basis[m, m - 1] = -m / norm;
        }
        return tensor(basis, dtype: ScalarType.Float64, device: like.device);
    }
}

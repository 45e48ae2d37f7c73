using static TorchSharp.torch;

namespace Pwgf.UnitTests.Support;

/// <summary>
/// E[softmax((l + G)/tau)_k] for many classes, by two nested one-dimensional quadratures instead of a K-dimensional
/// one. With X_j = e^((l_j + G_j)/tau) and 1/S = int_0^inf e^(-tS) dt,
/// E[X_k / S] = int E[X_k e^(-t X_k)] prod_{j != k} E[e^(-t X_j)] dt. Writing t = e^(-x/tau) and integrating by
/// parts in G gives E[w_k] = int Phi(x - l_k) prod_{j != k} L(x - l_j) dx with
/// Phi(y) = int kappa(v) phi(tau v + y) dv and L(y) = int kappa(v) F(tau v + y) dv, where F and phi are the standard
/// Gumbel distribution and density and kappa(v) = e^(v - e^v). At tau -> 0 this is P(class k wins).
/// </summary>
public static class GumbelSoftmaxMeans
{
    /// <summary>Classes this far below the top logit get weight below e^-30 and leave every L within e^-30 of 1.</summary>
    private const double Negligible = 30;

    /// <summary>Means of the relaxed class weights; <paramref name="logits"/> are log-probabilities (they sum to 1 in mass).</summary>
    public static double[] ClassMeans(double[] logits, double temperature)
    {
        using var scope = NewDisposeScope();
        // The winning perturbed logit is Gumbel-distributed around log(sum e^l) = 0, so x in [-5, 25] holds all but
        // about e^-25 of it; kappa lives on v in [-40, 5].
        var x = Quadrature.Composite(-5, 25, 30, 8);
        var v = Quadrature.Composite(-40, 5, 45, 6);
        var xs = tensor(x.Nodes, dtype: float64);
        var vs = tensor(v.Nodes, dtype: float64);
        var kappa = (vs - vs.exp()).exp() * tensor(v.Weights, dtype: float64);                   // [V]

        double top = logits.Max();
        var kept = Enumerable.Range(0, logits.Length).Where(k => logits[k] > top - Negligible).ToArray();
        var logL = new List<Tensor>();
        var phi = new List<Tensor>();
        foreach (var chunk in kept.Chunk(64))
        {
            var l = tensor(chunk.Select(k => logits[k]).ToArray(), dtype: float64);
            var argument = temperature * vs.reshape(1, 1, -1) + xs.reshape(1, -1, 1) - l.reshape(-1, 1, 1); // [C, X, V]
            var minus = (-argument).exp();
            logL.Add(((-minus).exp() * kappa).sum(-1).clamp_min(1e-300).log());                  // [C, X]
            phi.Add(((-argument - minus).exp() * kappa).sum(-1));
        }
        var logs = cat([.. logL], 0);
        var others = (logs.sum(0L, keepdim: true) - logs).exp();                                  // prod over j != k
        var means = (cat([.. phi], 0) * others * tensor(x.Weights, dtype: float64)).sum(-1).data<double>().ToArray();

        var result = new double[logits.Length];
        for (int i = 0; i < kept.Length; i++) result[kept[i]] = means[i];
        return result;
    }
}

using Pwgf.Estimators.Families;
using Pwgf.Estimators.Objectives;
using static TorchSharp.torch;

namespace Pwgf.Estimators.ScoreFunction;

/// <summary>
/// VIMCO (Mnih and Rezende 2016, "Variational inference for Monte Carlo objectives"): trains the K-sample bound
/// L_K = log (1/K) sum_k w_k, w_k = p(x, z_k) / q(z_k | x), with the gradient
///     sum_k s_k grad log q(z_k | x) + sum_k (w_k / sum_j w_j) grad log w_k,
///     s_k = L_K - log (1/K) (sum_{j != k} w_j + exp(mean_{j != k} log w_j)).
/// The second sum is the pathwise part (decoder, prior, and log q's direct dependence on its parameters). Each
/// sample's learning signal s_k is the bound minus the bound with w_k replaced by the geometric mean of the others:
/// a baseline that does not depend on z_k, so the estimate stays unbiased for the gradient of E[L_K].
/// </summary>
public sealed class ImportanceWeightedLeaveOneOut(LatentFamily family, int samples) : IMultiSampleBoundEstimator
{
    public string Name => "vimco";
    public LatentFamily Family => family;
    public int Samples => samples;

    public int EvaluationsPerExample(int dims) => samples;

    public Tensor Surrogate(Tensor parameters, IObjective objective, Generator? generator)
    {
        if (objective is not IImportanceWeightedObjective model)
        {
            throw new ArgumentException(
                "vimco trains a multi-sample bound of a latent-variable model, and this objective gives no importance weights p(x, z) / q(z | x).",
                nameof(objective));
        }
        long batch = parameters.shape[0];
        var repeated = parameters.unsqueeze(0).expand(Shape(samples, parameters.shape));        // [K, batch, dims(, C)]
        var sample = family.Sample(repeated, generator);                                        // [K, batch, dims(, C)]
        var rest = parameters.shape[1..];
        var logWeight = model.LogWeight(family, sample.reshape(Shape(samples * batch, rest)),
            repeated.reshape(Shape(samples * batch, rest))).reshape(samples, batch);            // [K, batch]
        var bound = logWeight.logsumexp(0) - Math.Log(samples);                                 // [batch]
        var signal = LearningSignals(logWeight.detach());                                       // [K, batch]
        var logQ = family.LogProbability(sample, repeated);                                     // [K, batch]
        // The score term is zero forward, so the value is -L_K; backward it adds sum_k s_k grad log q(z_k | x).
        var score = (signal * (logQ - logQ.detach())).sum(0, keepdim: false);                    // [batch]
        return -(bound + score);
    }

    /// <summary>
    /// The per-sample learning signals s_k for log-weights [K, batch] (K &gt;= 2) -> [K, batch], computed in log space:
    /// the k-th left-out sum replaces log w_k by the mean of the other K - 1 log-weights.
    /// </summary>
    public static Tensor LearningSignals(Tensor logWeight)
    {
        long k = logWeight.shape[0];
        var bound = logWeight.logsumexp(0) - Math.Log(k);                                       // [batch]
        var othersMean = (logWeight.sum(0, keepdim: true) - logWeight) / (k - 1);               // [K, batch]
        var leftOut = eye(k, dtype: ScalarType.Bool, device: logWeight.device).unsqueeze(-1);  // [K, K, 1]: row k, column k
        var replaced = where(leftOut, othersMean.unsqueeze(1), logWeight.unsqueeze(0));         // [K, K, batch]
        return bound.unsqueeze(0) - (replaced.logsumexp(1) - Math.Log(k));                      // [K, batch]
    }

    private static long[] Shape(long leading, long[] rest) => [leading, .. rest];
}

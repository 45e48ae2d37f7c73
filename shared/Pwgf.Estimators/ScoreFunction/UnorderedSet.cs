using Pwgf.Estimators.Families;
using Pwgf.Estimators.Objectives;
using static TorchSharp.torch;

namespace Pwgf.Estimators.ScoreFunction;

/// <summary>
/// The unordered set estimator with its built-in baseline (Kool, van Hoof and Welling 2020, "Estimating gradients
/// for discrete random variables by sampling without replacement"), for categorical latents. k distinct joint
/// configurations S of all d coordinates are drawn without replacement (stochastic beam search), and
///     g = sum_{s in S} p(s) R(S, s) (f(s) - b(S, s)) d log p(s) / d theta,
///     b(S, s) = sum_{s' in S} p(s') R^{D\s}(S, s') f(s'),
/// with R(S, s) = P^{D\s}(S\s) / P(S) and R^{D\s}(S, s') = P^{D\{s,s'}}(S\{s,s'}) / P^{D\s}(S\s) (1 for s' = s).
/// The baseline is the same estimator's estimate of E f on the domain without s, so it needs k &gt;= 2 and keeps the
/// estimate unbiased. The forward value sum_s p(s) R(S, s) f(s) is an unbiased estimate of E f. When there are no
/// more than k configurations at all, S is the whole domain and the estimate is the exact gradient.
/// </summary>
public sealed class UnorderedSet(int samples) : IGradientEstimator
{
    public string Name => "unordered-set";
    public LatentFamily Family => LatentFamily.Categorical;
    public int Samples => samples;

    public int EvaluationsPerExample(int dims) => samples;

    /// <summary>k, or K^d when the domain holds fewer configurations.</summary>
    public int EvaluationsPerExample(int dims, int classes) => (int)Math.Min(samples, Math.Pow(classes, dims));

    public Tensor Surrogate(Tensor parameters, IObjective objective, Generator? generator)
    {
        long batch = parameters.shape[0], dims = parameters.shape[1], classes = parameters.shape[2];
        var logProbabilities = parameters.log_softmax(-1);                                       // [batch, dims, K]
        var configurations = SamplingWithoutReplacement.Sample(logProbabilities.detach(), samples, generator); // [batch, k, dims]
        long k = configurations.shape[1];

        var oneHot = nn.functional.one_hot(configurations, classes).to_type(parameters.dtype);   // [batch, k, dims, K]
        var values = objective.Evaluate(Family, oneHot.transpose(0, 1).reshape(k * batch, dims, classes)) // sample-major
            .reshape(k, batch).t();                                                               // [batch, k]
        var logProbability = logProbabilities.unsqueeze(1).expand(batch, k, dims, classes)
            .gather(-1, configurations.unsqueeze(-1)).squeeze(-1).sum(-1);                        // log p(s), [batch, k]

        Tensor weights, baselineWeights;                                                          // p(s) R(S, s); p(s') R^{D\s}(S, s')
        using (no_grad())
        {
            var logP = logProbability.to_type(ScalarType.Float64);
            if (k >= Math.Pow(classes, dims))
            {
                weights = logP.exp();
                baselineWeights = weights.unsqueeze(1).expand(batch, k, k);
            }
            else
            {
                var (logR1, logR2) = SamplingWithoutReplacement.LeaveOutRatios(logP);
                weights = (logP + logR1).exp();
                baselineWeights = (logP.unsqueeze(1) + logR2).exp();
            }
            weights = weights.to_type(parameters.dtype);
            baselineWeights = baselineWeights.to_type(parameters.dtype);
        }
        // f(s) - b(S, s), written as sum_s' p(s') R^{D\s}(S, s') (f(s) - f(s')) because those weights sum to 1
        var advantage = (baselineWeights * (values.unsqueeze(-1) - values.unsqueeze(1))).sum(-1).detach(); // [batch, k]
        return (weights * values).sum(-1) + (weights * advantage * (logProbability - logProbability.detach())).sum(-1);
    }
}

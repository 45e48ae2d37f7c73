using Pwgf.Estimators.Families;
using Pwgf.Estimators.Objectives;
using static TorchSharp.torch;

namespace Pwgf.Estimators.ScoreFunction;

/// <summary>
/// REINFORCE with the leave-one-out baseline (Kool et al. 2019): K samples per example, each scored against the
/// mean of the other K - 1, which keeps the estimate unbiased while removing most of REINFORCE's variance.
/// </summary>
public sealed class ReinforceLeaveOneOut(LatentFamily family, int samples) : IGradientEstimator
{
    public string Name => "reinforce-loo";
    public LatentFamily Family => family;
    public int Samples => samples;

    public int EvaluationsPerExample(int dims) => samples;

    public Tensor Surrogate(Tensor parameters, IObjective objective, Generator? generator)
    {
        long batch = parameters.shape[0];
        var repeated = parameters.unsqueeze(0).expand(Shape(samples, parameters.shape));        // [K, batch, dims(, K)]
        var sample = family.Sample(repeated, generator);                                        // [K, batch, dims(, K)]
        var flat = sample.reshape(Shape(samples * batch, parameters.shape[1..]));
        var value = objective.Evaluate(family, flat).reshape(samples, batch);                   // [K, batch]
        var baseline = (value.sum(0, keepdim: true) - value) / (samples - 1);                   // [K, batch]
        var logProbability = family.LogProbability(sample, repeated);                           // [K, batch]
        return ScoreSurrogate.Surrogate(value, baseline, logProbability).mean(new long[] { 0 }); // [batch]
    }

    private static long[] Shape(long leading, long[] rest) => [leading, .. rest];
}

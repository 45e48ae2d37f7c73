using Pwgf.Estimators.Objectives;

namespace Pwgf.Estimators;

/// <summary>
/// An estimator that trains a model's K-sample importance-weighted bound L_K = log (1/K) sum_k w_k in place of the
/// ELBO (VIMCO). Its <see cref="IGradientEstimator.Surrogate"/> needs an <see cref="IImportanceWeightedObjective"/>
/// and returns per example a surrogate whose value is -L_K and whose gradient is the estimator's gradient of -L_K:
/// the estimator's own with respect to q's parameters, the exact pathwise one with respect to the weights inside the
/// objective (decoder, prior). A trainer adds no KL term, since the bound already holds log p(z) - log q(z | x).
/// </summary>
public interface IMultiSampleBoundEstimator : IGradientEstimator
{
    /// <summary>Samples K in the bound; f (the decoder) is evaluated K times per example.</summary>
    int Samples { get; }
}

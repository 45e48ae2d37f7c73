using Pwgf.Estimators.Families;
using Pwgf.Estimators.Objectives;
using static TorchSharp.torch;

namespace Pwgf.Estimators.Exact;

/// <summary>
/// The Poisson forward-difference identity dE f / d lambda_i = E[f(z + e_i) - f(z)], estimated from one sample:
/// g_i = lambda_i (f(z + e_i) - f(z)) with respect to the log-rate. Unbiased and low-variance, at the price of
/// d + 1 evaluations of f per example.
/// </summary>
public sealed class ExactDifference : IGradientEstimator
{
    public string Name => "exact-diff";
    public LatentFamily Family => LatentFamily.Poisson;

    public int EvaluationsPerExample(int dims) => dims + 1;

    public Tensor Surrogate(Tensor parameters, IObjective objective, Generator? generator)
    {
        long batch = parameters.shape[0], dims = parameters.shape[1];
        var sample = Family.Sample(parameters, generator);                                  // [batch, dims]
        var steps = eye(dims, dtype: parameters.dtype, device: parameters.device);         // [dims, dims]
        // Sample-major, as objectives expect: point j of every example, then point j + 1.
        var points = cat([sample.unsqueeze(0), sample.unsqueeze(0) + steps.unsqueeze(1)], 0); // [dims + 1, batch, dims]
        var values = objective.Evaluate(Family, points.reshape((dims + 1) * batch, dims)).reshape(dims + 1, batch);
        var value = values[0];                                                             // f(z), [batch]
        var differences = (values[1..] - value).detach().t();                             // [batch, dims]
        var rate = parameters.exp();
        return value + ((rate - rate.detach()) * differences).sum(-1);
    }
}

using Pwgf.Estimators.Families;
using Pwgf.Estimators.Objectives;
using static TorchSharp.torch;

namespace Pwgf.Estimators.Pathwise;

/// <summary>
/// Gumbel-Rao (Paulus, Maddison, Krause, ICLR 2021): straight-through Gumbel-softmax with its Jacobian averaged over
/// M Gumbel perturbations drawn conditionally on the hard sample D being their argmax, a Rao-Blackwellisation
/// that lowers variance at the cost of M softmaxes (still one evaluation of f).
/// Conditional draw: the top perturbed logit is Gumbel(logsumexp(theta)); every other one is a Gumbel with
/// location theta_i truncated below the top.
/// </summary>
public sealed class GumbelRao(double temperature, int draws) : IGradientEstimator
{
    public string Name => "gumbel-rao";
    public LatentFamily Family => LatentFamily.Categorical;

    public int EvaluationsPerExample(int dims) => 1;

    public Tensor Surrogate(Tensor parameters, IObjective objective, Generator? generator)
    {
        var hard = Family.Sample(parameters, generator);                               // [batch, dims, K]
        Tensor noise;
        using (no_grad())
        {
            var logits = parameters.detach().unsqueeze(0);                             // [1, batch, dims, K]
            long[] shape = [draws, .. parameters.shape];
            long[] perCoordinate = [.. shape[..^1], 1];
            var top = logits.logsumexp(-1, keepdim: true) + Noise.Gumbel(perCoordinate, parameters, generator); // [M, batch, dims, 1]
            var below = -(-top).logaddexp(-logits + Noise.Exponential(shape, parameters, generator).log());
            var perturbed = hard.unsqueeze(0) * top + (1 - hard.unsqueeze(0)) * below; // [M, batch, dims, K]
            noise = perturbed - logits;
        }
        var averaged = ((parameters.unsqueeze(0) + noise) / temperature).softmax(-1).mean([0]); // [batch, dims, K]
        return objective.Evaluate(Family, hard + (averaged - averaged.detach()));
    }
}

using Pwgf.Estimators.Families;
using Pwgf.Estimators.Objectives;
using static TorchSharp.torch;

namespace Pwgf.Estimators.Pathwise;

/// <summary>
/// The Gumbel-softmax / Concrete relaxation (Jang, Gu, Poole 2017; Maddison, Mnih, Teh 2017). A relaxed sample
/// softmax((theta + G) / tau) (Bernoulli: sigmoid((phi + L) / tau), L logistic) replaces the discrete one.
/// Relaxed: f is evaluated at the relaxed sample and differentiated pathwise (biased: f sees values it never
/// sees at test time). Straight-through: f is evaluated at the hard sample argmax(theta + G) and the relaxed
/// sample's Jacobian is used on the way back.
/// </summary>
public sealed class GumbelSoftmax(LatentFamily family, double temperature, bool straightThrough) : IGradientEstimator
{
    public string Name => straightThrough ? "st-gumbel-softmax" : "gumbel-softmax";
    public LatentFamily Family => family;
    public double Temperature => temperature;

    public bool Relaxed => !straightThrough;

    public int EvaluationsPerExample(int dims) => 1;

    public Tensor Surrogate(Tensor parameters, IObjective objective, Generator? generator)
    {
        Tensor relaxed, hard;
        if (family.Distribution == LatentDistribution.Bernoulli)
        {
            var perturbed = parameters + Noise.Logistic(parameters, generator);     // [batch, dims]
            relaxed = (perturbed / temperature).sigmoid();
            hard = (perturbed.detach() > 0).to_type(parameters.dtype);
        }
        else
        {
            var perturbed = parameters + Noise.Gumbel(parameters, generator);       // [batch, dims, K]
            relaxed = (perturbed / temperature).softmax(-1);
            hard = nn.functional.one_hot(perturbed.detach().argmax(-1), parameters.shape[^1]).to_type(parameters.dtype);
        }
        return objective.Evaluate(family, straightThrough ? hard + (relaxed - relaxed.detach()) : relaxed);
    }
}

using Pwgf.Estimators.Families;
using Pwgf.Estimators.Objectives;
using static TorchSharp.torch;

namespace Pwgf.Estimators.ScoreFunction;

/// <summary>
/// ARM (Yin and Zhou 2019) and DisARM (Dong, Mnih and Tucker 2020) for Bernoulli logits. One uniform vector u
/// gives two antithetic samples b1 = 1[u &gt; 1 - p] and b2 = 1[u &lt; p], both Bernoulli(p); f is evaluated at each.
/// ARM: g_i = (f(b1) - f(b2)) (u_i - 1/2).
/// DisARM integrates u out given the pair: g_i = 1/2 (f(b1) - f(b2)) 1[b1_i != b2_i] (-1)^{b2_i} sigmoid(|phi_i|),
/// which never has more variance than ARM.
/// </summary>
public sealed class AntitheticBernoulli(bool disarm) : IGradientEstimator
{
    public string Name => disarm ? "disarm" : "arm";
    public LatentFamily Family => LatentFamily.Bernoulli;

    public int EvaluationsPerExample(int dims) => 2;

    public Tensor Surrogate(Tensor parameters, IObjective objective, Generator? generator)
    {
        long batch = parameters.shape[0];
        var u = Noise.Uniform(parameters, generator);                              // [batch, dims]
        var p = parameters.detach().sigmoid();
        var first = (u > 1 - p).to_type(parameters.dtype);                         // b1
        var second = (u < p).to_type(parameters.dtype);                            // b2
        var values = objective.Evaluate(Family, cat([first, second], 0));          // [2 batch]
        var (f1, f2) = (values[..(int)batch], values[(int)batch..]);
        var difference = (f1 - f2).detach().unsqueeze(-1);                         // [batch, 1]

        // 1[b1_i != b2_i] (-1)^{b2_i} is b1_i - b2_i (both are 0 where the samples agree), and sigmoid(|phi_i|) is
        // max(p, 1 - p) = |p - 1/2| + 1/2, from p already at hand (p is not needed afterwards).
        var perCoordinate = disarm
            ? 0.5 * difference * (first - second) * p.sub_(0.5).abs_().add_(0.5)
            : difference * (u - 0.5);                                              // [batch, dims]
        return 0.5 * (f1 + f2) + ((parameters - parameters.detach()) * perCoordinate).sum(-1);
    }
}

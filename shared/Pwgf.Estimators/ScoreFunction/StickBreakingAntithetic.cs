using Pwgf.Estimators.Families;
using Pwgf.Estimators.Objectives;
using static TorchSharp.torch;

namespace Pwgf.Estimators.ScoreFunction;

/// <summary>
/// DisARM for categorical latents through the stick-breaking coupling of Dong, Mnih and Tucker 2021 ("Coupled
/// gradient estimators for discrete latent variables"). A K-class variable is the first success among K - 1
/// Bernoulli variables with logits a_i = theta_i - logsumexp_{j &gt; i} theta_j (class K - 1 when none succeeds).
/// One uniform vector u gives two antithetic categorical samples, from b1 = 1[u &lt; sigmoid(a)] and
/// b2 = 1[1 - u &lt; sigmoid(a)], and f is evaluated at both. With D = f(z1) - f(z2), the estimate for a_i is
///     1/2 D (b1_i - b2_i) sigmoid(|a_i|)    where both samples reach step i (i &lt;= min(z1, z2)): DisARM;
///     1/2 D (b1_i - sigmoid(a_i))          where only the first reaches it (z2 &lt; i &lt;= z1);
///     -1/2 D (b2_i - sigmoid(a_i))         where only the second reaches it (z1 &lt; i &lt;= z2);
///     0                                    where neither does (their bits there do not change f),
/// carried to theta by the chain rule through a(theta). Unbiased. The classes are used in their given order
/// (the reference code's default; it can also sort the logits first).
/// </summary>
public sealed class StickBreakingAntithetic : IGradientEstimator
{
    public string Name => "disarm";
    public LatentFamily Family => LatentFamily.Categorical;

    public int EvaluationsPerExample(int dims) => 2;

    public Tensor Surrogate(Tensor parameters, IObjective objective, Generator? generator)
    {
        long batch = parameters.shape[0];
        var stick = StickLogits(parameters);                                      // a, [batch, dims, K - 1]
        var probability = stick.detach().sigmoid();
        var u = Noise.Uniform(probability, generator);
        var first = (u < probability).to_type(parameters.dtype);                  // b1
        var second = (1 - u < probability).to_type(parameters.dtype);             // b2

        var (firstSample, firstReached) = Decode(first);
        var (secondSample, secondReached) = Decode(second);
        var values = objective.Evaluate(Family, cat([firstSample, secondSample], 0)); // [2 batch]
        var (f1, f2) = (values[..(int)batch], values[(int)batch..]);
        var half = (0.5 * (f1 - f2)).detach().unsqueeze(-1).unsqueeze(-1);       // [batch, 1, 1]

        var both = firstReached * secondReached;
        var signal = half * (both * (first - second) * stick.detach().abs().sigmoid()
                             + firstReached * (1 - secondReached) * (first - probability)
                             - secondReached * (1 - firstReached) * (second - probability));
        return 0.5 * (f1 + f2) + (signal * (stick - stick.detach())).sum([-2, -1]);
    }

    /// <summary>a_i = theta_i - logsumexp_{j &gt; i} theta_j for i &lt; K - 1, so sigmoid(a_i) = pi_i / sum_{j &gt;= i} pi_j.</summary>
    private static Tensor StickLogits(Tensor logits)
    {
        long classes = logits.shape[^1];
        var fromHere = logits.flip(-1).logcumsumexp(-1).flip(-1);                   // logsumexp_{j >= i}
        return logits.narrow(-1, 0, classes - 1) - fromHere.narrow(-1, 1, classes - 1);
    }

    /// <summary>
    /// The one-hot class of the first success (the last class when none succeeds) and, per step, whether the
    /// stick-breaking walk reaches it (no success before it).
    /// </summary>
    private static (Tensor OneHot, Tensor Reached) Decode(Tensor bits)
    {
        var extended = cat([bits, ones_like(bits.narrow(-1, 0, 1))], -1);          // [batch, dims, K]
        var successesSoFar = extended.cumsum(-1);
        var oneHot = extended * (successesSoFar == 1).to_type(bits.dtype);
        var reached = ((successesSoFar - extended) == 0).to_type(bits.dtype);       // no success before step i
        return (oneHot, reached.narrow(-1, 0, bits.shape[^1]));
    }
}

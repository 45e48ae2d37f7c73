using TorchSharp;
using static TorchSharp.torch;

namespace Pwgf.Estimators.Families;

/// <summary>
/// A discrete family in its unconstrained parameterisation: Bernoulli logits phi (p = sigmoid(phi)), categorical
/// logits theta (pi = softmax(theta)) or Poisson log-rates eta (lambda = exp(eta)).
/// Parameters are [batch, dims] (Bernoulli, Poisson) or [batch, dims, classes] (categorical); samples have the
/// same shape, categorical samples being one-hot.
/// </summary>
public abstract class LatentFamily
{
    public static LatentFamily Bernoulli { get; } = new BernoulliFamily();
    public static LatentFamily Categorical { get; } = new CategoricalFamily();
    public static LatentFamily Poisson { get; } = new PoissonFamily();

    public static LatentFamily Of(LatentDistribution distribution) => distribution switch
    {
        LatentDistribution.Bernoulli => Bernoulli,
        LatentDistribution.Categorical => Categorical,
        LatentDistribution.Poisson => Poisson,
        _ => throw new ArgumentOutOfRangeException(nameof(distribution), distribution, "Unknown distribution."),
    };

    public abstract LatentDistribution Distribution { get; }

    /// <summary>The mean of the family: p, pi or lambda. Differentiable in the parameters.</summary>
    public abstract Tensor Mean(Tensor parameters);

    /// <summary>Draws one exact sample per parameter row; the result carries no gradient.</summary>
    public abstract Tensor Sample(Tensor parameters, Generator? generator);

    /// <summary>log p(z | parameters), summed over the latent dimensions: [batch, dims(, K)] -> [batch].</summary>
    public abstract Tensor LogProbability(Tensor sample, Tensor parameters);

    /// <summary>
    /// E[h(v(z_i))] for every coordinate i, by summing over the coordinate's support (truncated for the Poisson where
    /// the tail mass is below 1e-12). v(z_i) is z_i, or the class index for a categorical coordinate.
    /// Differentiable in the parameters; returns [batch, dims].
    /// </summary>
    public abstract Tensor ExpectPerCoordinate(Func<Tensor, Tensor> h, Tensor parameters);

    /// <summary>The value each coordinate takes: z_i itself, or the class index sum_k k z_ik for one-hot samples.</summary>
    public virtual Tensor CoordinateValue(Tensor sample) => sample;
}

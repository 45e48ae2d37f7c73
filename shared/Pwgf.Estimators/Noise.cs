using static TorchSharp.torch;

namespace Pwgf.Estimators;

/// <summary>The random inputs of reparameterised estimators, drawn from the caller's generator.</summary>
internal static class Noise
{
    /// <summary>U(0, 1) kept away from 0 and 1, so logs of it and of 1 - u stay finite in the tensor's precision.</summary>
    public static Tensor Uniform(long[] shape, Tensor like, Generator? generator)
    {
        double margin = like.dtype == ScalarType.Float64 ? 1e-12 : 1e-6;
        return rand(shape, dtype: like.dtype, device: like.device, generator: generator).clamp(margin, 1 - margin);
    }

    public static Tensor Uniform(Tensor like, Generator? generator) => Uniform(like.shape, like, generator);

    /// <summary>Standard Gumbel: -log(-log u).</summary>
    public static Tensor Gumbel(long[] shape, Tensor like, Generator? generator) => -(-Uniform(shape, like, generator).log()).log();

    public static Tensor Gumbel(Tensor like, Generator? generator) => Gumbel(like.shape, like, generator);

    /// <summary>Standard exponential: -log u.</summary>
    public static Tensor Exponential(long[] shape, Tensor like, Generator? generator) => -Uniform(shape, like, generator).log();

    /// <summary>Standard logistic: log u - log(1 - u), the difference of two Gumbels.</summary>
    public static Tensor Logistic(Tensor like, Generator? generator)
    {
        var u = Uniform(like, generator);
        return u.log() - (-u).log1p();
    }
}

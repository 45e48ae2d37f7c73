using Pwgf.Estimators.Families;
using static TorchSharp.torch;

namespace Pwgf.Estimators.Objectives;

/// <summary>
/// The function f whose expectation E_{z ~ p_theta}[f(z)] is being minimised. Evaluate must accept relaxed
/// (real-valued) samples and be differentiable in them, because straight-through and relaxation estimators need
/// grad_z f, exactly as a decoder provides it.
/// </summary>
public interface IObjective
{
    /// <summary>
    /// [n, dims] (or [n, dims, K] one-hot) -> [n]. An estimator that evaluates several points per example stacks
    /// them sample-major: with b examples, row r belongs to example r mod b (all examples' first points, then all
    /// their second points, ...), so an objective tied to data (a decoder and its images) can pair rows with images.
    /// </summary>
    Tensor Evaluate(LatentFamily family, Tensor sample);

    /// <summary>
    /// The same f, but sending gradient only to the sample, never into parameters f itself holds (a decoder's
    /// weights). Control variates (REBAR, RELAX) evaluate f through this view, so they shape the distribution's
    /// gradient without leaking into the model's. Objectives without parameters are their own frozen view.
    /// </summary>
    IObjective Frozen() => this;

    /// <summary>
    /// The inputs the latent parameters were computed from, one row per example ([batch, features], a VAE's images),
    /// for estimators whose baseline depends on them (NVIL); null when there are none, as in the toy problems.
    /// </summary>
    Tensor? Context => null;
}

/// <summary>An objective whose expectation is known in closed form or by summation: the exact reference.</summary>
public interface IExactObjective : IObjective
{
    /// <summary>E[f(z)] per parameter row, differentiable in the parameters, never Monte Carlo: [batch].</summary>
    Tensor Expectation(LatentFamily family, Tensor parameters);
}

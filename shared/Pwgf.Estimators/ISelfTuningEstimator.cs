using static TorchSharp.torch;

namespace Pwgf.Estimators;

/// <summary>
/// An estimator with a control variate or baseline of its own parameters that it tunes online to lower its variance
/// (REBAR, RELAX, NVIL). Training calls <see cref="Tune"/> once per step, after <c>Surrogate</c> and before its own
/// backward pass; the graph stays usable for that backward pass. Diagnostics never tune, so an audit measures the
/// estimator as it stands.
/// </summary>
public interface ISelfTuningEstimator : IGradientEstimator, IDisposable
{
    /// <summary>
    /// One tuning step for the <paramref name="surrogate"/> that <c>Surrogate</c> just returned. REBAR and RELAX: an
    /// optimiser step along the gradient of the mean squared per-example gradient estimate (its variance plus a term
    /// they cannot change). NVIL: its running mean and variance, and a step on its baseline's squared centred
    /// learning signal.
    /// </summary>
    void Tune(Tensor surrogate, Tensor parameters);

    /// <summary>Writes the control variate and its optimiser state, so a resumed run tunes on from here.</summary>
    void SaveState(BinaryWriter writer);

    /// <summary>Restores what <see cref="SaveState"/> wrote.</summary>
    void LoadState(BinaryReader reader);
}

using static TorchSharp.torch;

namespace Pwgf.Estimators;

/// <summary>
/// An estimator with a control variate of its own parameters that it tunes online to minimise its variance
/// (REBAR, RELAX). Training calls <see cref="Tune"/> once per step, after <c>Surrogate</c> and before its own
/// backward pass; the graph stays usable for that backward pass. Diagnostics never tune, so an audit measures the
/// estimator as it stands.
/// </summary>
public interface ISelfTuningEstimator : IGradientEstimator, IDisposable
{
    /// <summary>
    /// One optimiser step on the control-variate parameters along the gradient of the mean squared per-example
    /// gradient estimate (its variance plus a term they cannot change).
    /// </summary>
    void Tune(Tensor surrogate, Tensor parameters);

    /// <summary>Writes the control variate and its optimiser state, so a resumed run tunes on from here.</summary>
    void SaveState(BinaryWriter writer);

    /// <summary>Restores what <see cref="SaveState"/> wrote.</summary>
    void LoadState(BinaryReader reader);
}

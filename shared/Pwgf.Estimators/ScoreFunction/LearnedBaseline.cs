using Pwgf.Estimators.Families;
using Pwgf.Estimators.Objectives;
using static TorchSharp.torch;

namespace Pwgf.Estimators.ScoreFunction;

/// <summary>
/// NVIL (Mnih and Gregor 2014): REINFORCE whose learning signal f(z) is centred by a learned, input-dependent
/// baseline C(x) and a running mean c and, with <c>normalise</c>, divided by max(1, sqrt(v)) with v the running
/// variance of f(z) - C(x):
///     g = (f(z) - C(x) - c) / max(1, sqrt(v)) * d log p(z) / d theta.
/// Normalisation is off by default: a VAE task adds its KL term's exact gradient outside the estimator, and dividing
/// only the estimator's share would weight that term up (docs/estimators.md).
/// C is a small network of the objective's context (a VAE's images: one tanh hidden layer, 100 units in the paper),
/// trained to minimise the squared centred learning signal (f(z) - c - C(x))^2. Toy problems have no inputs, every
/// example is the same, so C there is one learned number. c and v are exponential moving averages with NVIL's
/// alpha = 0.8. The baseline never depends on z, so the estimate is unbiased (when normalising: for the gradient
/// divided by max(1, sqrt(v)), a positive scale fixed before the step's samples are drawn). This class updates c, v
/// and C in <see cref="Tune"/>, after the estimate that used them; the paper updates c and v from the batch first.
/// </summary>
public sealed class LearnedBaseline(LatentFamily family, int hidden, bool normalise, double tuningRate) : ISelfTuningEstimator
{
    /// <summary>NVIL's alpha: the weight of the old value in the running mean and variance.</summary>
    private const double Memory = 0.8;

    private readonly TunableParameters _baseline = new(tuningRate); // toys: [1]; with a context: W1 [h, x], b1 [h], W2 [1, h], b2 [1]
    private double _mean;                                            // c
    private double _variance;                                        // v
    private Latest? _latest;

    /// <summary>What <see cref="Tune"/> needs from the surrogate it follows.</summary>
    private sealed record Latest(Tensor Surrogate, Tensor Value, Tensor? Context);

    public string Name => "nvil";
    public LatentFamily Family => family;

    /// <summary>c, the running mean of f(z) - C(x).</summary>
    public double SignalMean => _mean;

    /// <summary>v, the running variance of f(z) - C(x).</summary>
    public double SignalVariance => _variance;

    /// <summary>What every estimate is divided by: max(1, sqrt(v)), or 1 without variance normalisation.</summary>
    public double Normaliser => normalise ? Math.Max(1, Math.Sqrt(_variance)) : 1;

    public int EvaluationsPerExample(int dims) => 1;

    public Tensor Surrogate(Tensor parameters, IObjective objective, Generator? generator)
    {
        var context = objective.Context;
        EnsureBaseline(parameters, context);
        var sample = family.Sample(parameters, generator);
        var value = objective.Evaluate(family, sample);                                    // [batch]
        Tensor signal;
        using (no_grad())
        {
            signal = (value - Baseline(context, value.shape[0]) - _mean) / Normaliser;       // [batch]
        }
        var logProbability = family.LogProbability(sample, parameters);
        var surrogate = value + signal * (logProbability - logProbability.detach());
        _latest = new Latest(surrogate, value.detach(), context);
        return surrogate;
    }

    /// <summary>
    /// Updates c and v with this batch's centred signals, then takes one Adam step on C along the gradient of the
    /// mean squared centred learning signal. Must follow the <see cref="Surrogate"/> call that returned
    /// <paramref name="surrogate"/>.
    /// </summary>
    public void Tune(Tensor surrogate, Tensor parameters)
    {
        if (_latest is not { } latest || !ReferenceEquals(latest.Surrogate, surrogate))
            throw new InvalidOperationException("Tune follows the Surrogate call whose result it is given.");
        _latest = null;
        long batch = latest.Value.shape[0];
        using (no_grad())
        {
            var centred = (latest.Value - Baseline(latest.Context, batch)).to_type(ScalarType.Float64); // [batch]
            var batchMean = centred.mean();
            _mean = Memory * _mean + (1 - Memory) * batchMean.item<double>();
            // The batch's own variance (divided by the batch size, so one example gives 0, not NaN)
            _variance = Memory * _variance + (1 - Memory) * (centred - batchMean).square().mean().item<double>();
        }
        var loss = (latest.Value - _mean - Baseline(latest.Context, batch)).square().mean();
        _baseline.Step(loss, retainGraph: false);
    }

    /// <summary>C(x) per example: [batch].</summary>
    private Tensor Baseline(Tensor? context, long batch)
    {
        var weights = _baseline.Values;
        if (context is null) return weights[0].expand(batch);
        var hiddenLayer = nn.functional.linear(context.to_type(weights[0].dtype), weights[0], weights[1]).tanh(); // [batch, h]
        return nn.functional.linear(hiddenLayer, weights[2], weights[3]).squeeze(-1);
    }

    /// <summary>
    /// Created on first use: one number without a context, else the network, its output layer at zero so that NVIL
    /// starts as REINFORCE with a running-mean baseline.
    /// </summary>
    private void EnsureBaseline(Tensor parameters, Tensor? context)
    {
        if (context is not null && context.shape[0] != parameters.shape[0])
            throw new ArgumentException($"The context has {context.shape[0]} rows for {parameters.shape[0]} examples.", nameof(context));
        if (_baseline.Created)
        {
            bool conditioned = _baseline.Values.Count > 1;
            if (conditioned != context is not null || (context is not null && context.shape[1] != _baseline.Values[0].shape[1]))
                throw new InvalidOperationException("The baseline was built for another kind of input.");
            return;
        }
        if (context is null)
        {
            _baseline.Create([zeros(1, parameters.dtype, parameters.device)]);
            return;
        }
        var (dtype, device) = (context.is_floating_point() ? context.dtype : parameters.dtype, context.device);
        long features = context.shape[1];
        using var generator = new Generator(0x4e5611, device);
        double bound = 1 / Math.Sqrt(features);
        _baseline.Create(
        [
            (rand([hidden, features], dtype, device, generator: generator) * 2 - 1) * bound,
            zeros(hidden, dtype, device),
            zeros(1, hidden, dtype: dtype, device: device),
            zeros(1, dtype, device),
        ]);
    }

    public void SaveState(BinaryWriter writer)
    {
        writer.Write(_mean);
        writer.Write(_variance);
        _baseline.Save(writer);
    }

    public void LoadState(BinaryReader reader)
    {
        _mean = reader.ReadDouble();
        _variance = reader.ReadDouble();
        _baseline.Load(reader);
    }

    public void Dispose() => _baseline.Dispose();
}

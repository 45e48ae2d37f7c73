using Pwgf.Training.Optimization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pwgf.Training.Vae;

/// <summary>
/// Exponential moving averages of a set of parameters' gradients g and of g^2 (DisARM's encoder-gradient
/// variance, decay 0.999). The variance is the mean over coordinates of E[g^2] - E[g]^2, with both averages
/// corrected for their start at zero. The averages are kept in the parameters' own precision and updated in one
/// pass per parameter on the CPU (<see cref="FusedKernels.Moments"/>); the variance is summed in double precision.
/// </summary>
internal sealed class GradientMovingAverages : IDisposable
{
    private readonly IReadOnlyList<Parameter> _parameters;
    private readonly double _decay;
    private readonly Tensor[] _first;
    private readonly Tensor[] _second;

    public GradientMovingAverages(IReadOnlyList<Parameter> parameters, double decay)
    {
        _parameters = parameters;
        _decay = decay;
        _first = [.. parameters.Select(p => zeros(p.shape, dtype: p.dtype, device: p.device).DetachFromDisposeScope())];
        _second = [.. parameters.Select(p => zeros(p.shape, dtype: p.dtype, device: p.device).DetachFromDisposeScope())];
    }

    public long Updates { get; private set; }

    /// <summary>Folds in the gradients the parameters hold now (after backward, before the optimiser step).</summary>
    public void Update()
    {
        using var _ = no_grad();
        for (int i = 0; i < _parameters.Count; i++)
        {
            using var grad = _parameters[i].grad;
            if (grad is null) continue;
            if (HostMemory.TryGetSpan<float>(grad, out var g) && HostMemory.TryGetSpan<float>(_first[i], out var m)
                && HostMemory.TryGetSpan<float>(_second[i], out var s))
            {
                FusedKernels.Moments<float>(g, m, s, 1 - _decay);
                continue;
            }
            _first[i].lerp_(grad, 1 - _decay);
            using var square = grad.square();
            _second[i].lerp_(square, 1 - _decay);
        }
        Updates++;
    }

    public double Variance()
    {
        using var scope = NewDisposeScope();
        double correction = 1 - Math.Pow(_decay, Updates);
        var total = zeros(1, dtype: float64, device: _first[0].device);
        long count = 0;
        for (int i = 0; i < _first.Length; i++)
        {
            var mean = _first[i].to_type(float64) / correction;
            total += (_second[i].to_type(float64) / correction - mean * mean).sum();
            count += _first[i].numel();
        }
        return total.item<double>() / count;
    }

    public void Save(BinaryWriter writer)
    {
        writer.Write(Updates);
        foreach (var moment in _first.Concat(_second)) moment.Save(writer);
    }

    public void Load(BinaryReader reader)
    {
        Updates = reader.ReadInt64();
        using var _ = no_grad();
        foreach (var moment in _first.Concat(_second))
        {
            using var saved = Tensor.Load(reader);
            moment.copy_(saved);
        }
    }

    public void Dispose()
    {
        foreach (var moment in _first.Concat(_second)) moment.Dispose();
    }
}

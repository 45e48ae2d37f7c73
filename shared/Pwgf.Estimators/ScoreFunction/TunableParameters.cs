using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pwgf.Estimators.ScoreFunction;

/// <summary>
/// The parameters an estimator tunes for itself (a learned baseline, a control variate's scale, temperature and
/// network) with their Adam optimiser: created on first use in the dtype and on the device they serve, stepped once
/// per training step, written to and read from checkpoints.
/// </summary>
internal sealed class TunableParameters(double rate) : IDisposable
{
    private readonly List<Parameter> _values = [];
    private OptimizerHelper? _optimizer;

    public bool Created => _optimizer is not null;

    public IReadOnlyList<Parameter> Values => _values;

    /// <summary>The current values as fresh tensors in the caller's graph, so that tuning them in place later leaves
    /// a graph the caller still has to differentiate intact.</summary>
    public List<Tensor> Snapshot() => [.. _values.Select(v => v.clone())];

    public void Create(IEnumerable<Tensor> initial)
    {
        if (Created) throw new InvalidOperationException("The tuned parameters already exist.");
        foreach (var value in initial)
        {
            // They outlive the caller's dispose scope (a training step): they belong to the estimator.
            var parameter = new Parameter(value.detach().clone());
            parameter.DetachFromDisposeScope();
            _values.Add(parameter);
        }
        _optimizer = (OptimizerHelper)optim.Adam(_values, rate > 0 ? rate : 1e-3);
    }

    /// <summary>One Adam step down the gradient of <paramref name="loss"/>; nothing when the rate is 0.</summary>
    public void Step(Tensor loss, bool retainGraph)
    {
        if (rate <= 0) return;
        _optimizer!.zero_grad();
        loss.backward(inputs: [.. _values], retain_graph: retainGraph);
        _optimizer.step();
    }

    public void Save(BinaryWriter writer)
    {
        writer.Write(_values.Count);
        foreach (var value in _values) value.Save(writer);
        _optimizer?.save_state_dict(writer);
    }

    /// <summary>Restores what <see cref="Save"/> wrote; before first use only.</summary>
    public void Load(BinaryReader reader)
    {
        int count = reader.ReadInt32();
        if (count == 0) return;
        if (Created) throw new InvalidOperationException("Load tuned parameters before first use.");
        var values = new List<Tensor>();
        for (int i = 0; i < count; i++) values.Add(Tensor.Load(reader));
        Create(values);
        foreach (var value in values) value.Dispose();
        _optimizer!.load_state_dict(reader);
    }

    public void Dispose()
    {
        _optimizer?.Dispose();
        foreach (var value in _values) value.Dispose();
    }
}

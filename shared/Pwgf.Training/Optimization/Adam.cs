using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pwgf.Training.Optimization;

/// <summary>
/// Adam (betas 0.9 and 0.999, eps 1e-8, no weight decay), with the same arithmetic as PyTorch's and TorchSharp's.
/// On the CPU each parameter is updated in one fused pass (<see cref="FusedKernels.Adam"/>); elsewhere (CUDA) with
/// tensor operations. Both write the same state, so a checkpoint moves between CPU and GPU workers.
/// </summary>
public sealed class Adam : ParameterOptimizer
{
    private const double Beta1 = 0.9;
    private const double Beta2 = 0.999;
    private const double Epsilon = 1e-8;

    private readonly Tensor[] _first;
    private readonly Tensor[] _second;
    private readonly long[] _steps;

    public Adam(IEnumerable<Parameter> parameters, double learningRate) : base(parameters, learningRate)
    {
        using var _ = no_grad();
        // Contiguous whatever the parameter's layout, so that the fused path and checkpoints can read them.
        _first = [.. Parameters.Select(Zeros)];
        _second = [.. Parameters.Select(Zeros)];
        _steps = new long[Parameters.Count];
    }

    private static Tensor Zeros(Parameter p) => zeros(p.shape, dtype: p.dtype, device: p.device).DetachFromDisposeScope();

    protected override void Update(int index, Parameter parameter, Tensor gradient)
    {
        long step = ++_steps[index];
        double stepSize = LearningRate / (1 - Math.Pow(Beta1, step));
        double rootCorrection2 = Math.Sqrt(1 - Math.Pow(Beta2, step));
        Tensor m = _first[index], v = _second[index];

        if (!TryFused<float>(parameter, gradient, m, v, stepSize, rootCorrection2)
            && !TryFused<double>(parameter, gradient, m, v, stepSize, rootCorrection2))
        {
            m.mul_(Beta1).add_(gradient, alpha: 1 - Beta1);
            v.mul_(Beta2).addcmul_(gradient, gradient, value: 1 - Beta2);
            using var denominator = v.sqrt().div_(rootCorrection2).add_(Epsilon);
            parameter.addcdiv_(m, denominator, value: -stepSize);
        }
    }

    /// <summary>The fused update, when all four tensors are contiguous CPU tensors of element type T.</summary>
    private static bool TryFused<T>(Tensor parameter, Tensor gradient, Tensor m, Tensor v, double stepSize, double rootCorrection2)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        if (!HostMemory.TryGetSpan<T>(parameter, out var p) || !HostMemory.TryGetSpan<T>(gradient, out var g)
            || !HostMemory.TryGetSpan<T>(m, out var first) || !HostMemory.TryGetSpan<T>(v, out var second))
        {
            return false;
        }
        FusedKernels.Adam(p, g, first, second, Beta1, Beta2, stepSize, rootCorrection2, Epsilon);
        return true;
    }

    public override void Save(BinaryWriter writer)
    {
        writer.Write(Parameters.Count);
        for (int i = 0; i < Parameters.Count; i++)
        {
            writer.Write(_steps[i]);
            _first[i].Save(writer);
            _second[i].Save(writer);
        }
    }

    public override void Load(BinaryReader reader)
    {
        int count = reader.ReadInt32();
        if (count != Parameters.Count)
        {
            throw new InvalidDataException($"The saved Adam state holds {count} parameters; this model has {Parameters.Count}.");
        }
        using var _ = no_grad();
        for (int i = 0; i < count; i++)
        {
            _steps[i] = reader.ReadInt64();
            using (var first = Tensor.Load(reader)) _first[i].copy_(first);
            using (var second = Tensor.Load(reader)) _second[i].copy_(second);
        }
    }

    public override void Dispose()
    {
        foreach (var moment in _first.Concat(_second)) moment.Dispose();
        base.Dispose();
    }
}

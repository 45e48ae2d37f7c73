using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pwgf.Training.Optimization;

/// <summary>
/// Updates a fixed list of parameters from the gradients that backward leaves in them. ZeroGrad drops the
/// gradients instead of filling them with zeros, so the next backward writes fresh ones and never has to add
/// into an old buffer (PyTorch's set_to_none). State that a resumed run needs goes through Save and Load.
/// </summary>
public abstract class ParameterOptimizer : IDisposable
{
    protected ParameterOptimizer(IEnumerable<Parameter> parameters, double learningRate)
    {
        Parameters = [.. parameters];
        LearningRate = learningRate;
    }

    protected IReadOnlyList<Parameter> Parameters { get; }

    public double LearningRate { get; }

    public void ZeroGrad()
    {
        foreach (var parameter in Parameters)
        {
            using var gradient = parameter.grad;
            if (gradient is not null) parameter.grad = null;
        }
    }

    /// <summary>Applies one update to every parameter that has a gradient.</summary>
    public void Step()
    {
        using var _ = no_grad();
        for (int i = 0; i < Parameters.Count; i++)
        {
            using var gradient = Parameters[i].grad;
            if (gradient is not null) Update(i, Parameters[i], gradient);
        }
    }

    protected abstract void Update(int index, Parameter parameter, Tensor gradient);

    public abstract void Save(BinaryWriter writer);

    public abstract void Load(BinaryReader reader);

    public virtual void Dispose() => GC.SuppressFinalize(this);
}

/// <summary>Plain gradient descent: p -= lr g.</summary>
public sealed class Sgd(IEnumerable<Parameter> parameters, double learningRate) : ParameterOptimizer(parameters, learningRate)
{
    protected override void Update(int index, Parameter parameter, Tensor gradient) => parameter.add_(gradient, alpha: -LearningRate);

    public override void Save(BinaryWriter writer) { }

    public override void Load(BinaryReader reader) { }
}

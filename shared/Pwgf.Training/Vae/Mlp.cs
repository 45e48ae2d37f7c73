using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pwgf.Training.Vae;

/// <summary>The hidden-layer nonlinearity of a network.</summary>
public enum Activation
{
    ReLU,
    LeakyReLU,
}

/// <summary>
/// A fully connected network held as plain weight and bias parameters, so that it can be run two ways: normally,
/// and frozen (weights detached), which lets gradient reach its input but never its weights. Control variates
/// evaluate the decoder frozen. Hidden layers use the activation; the last layer is linear.
/// </summary>
public sealed class Mlp : IDisposable
{
    private readonly List<(Parameter Weight, Parameter Bias)> _layers = [];
    private readonly Activation _activation;

    /// <param name="sizes">Input width, hidden widths, output width: [784, 200, 200, 200] is 784-200-200-200.</param>
    /// <param name="activation">Applied after every layer but the last.</param>
    /// <param name="generator">Draws the initial weights, uniform in +-1/sqrt(fan in) like PyTorch's Linear.</param>
    /// <param name="device">Where the weights live.</param>
    public Mlp(IReadOnlyList<int> sizes, Activation activation, Generator generator, Device device)
    {
        _activation = activation;
        for (int i = 0; i + 1 < sizes.Count; i++)
        {
            double bound = 1 / Math.Sqrt(sizes[i]);
            var weight = (rand([sizes[i + 1], sizes[i]], generator: generator, device: device) * 2 - 1) * bound;
            var bias = (rand([sizes[i + 1]], generator: generator, device: device) * 2 - 1) * bound;
            _layers.Add((new Parameter(weight), new Parameter(bias)));
        }
    }

    public IEnumerable<Parameter> Parameters => _layers.SelectMany(l => new[] { l.Weight, l.Bias });

    /// <summary>The last layer's bias (a decoder's output bias starts at the data's mean logit).</summary>
    public Parameter OutputBias => _layers[^1].Bias;

    public Tensor Forward(Tensor input, bool frozen = false)
    {
        var x = input;
        for (int i = 0; i < _layers.Count; i++)
        {
            var (weight, bias) = _layers[i];
            x = frozen ? nn.functional.linear(x, weight.detach(), bias.detach()) : nn.functional.linear(x, weight, bias);
            if (i + 1 < _layers.Count)
            {
                x = _activation == Activation.ReLU ? nn.functional.relu(x) : nn.functional.leaky_relu(x, 0.3);
            }
        }
        return x;
    }

    public void Dispose()
    {
        foreach (var (weight, bias) in _layers)
        {
            weight.Dispose();
            bias.Dispose();
        }
    }
}

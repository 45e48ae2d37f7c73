using Pwgf.Training;
using Pwgf.Training.Optimization;
using TorchSharp;
using TorchSharp.Modules;
using Adam = Pwgf.Training.Optimization.Adam;
using static TorchSharp.torch;

namespace Pwgf.UnitTests.Training;

/// <summary>The project's optimisers against TorchSharp's own, on the fused CPU path and the tensor-operation path.</summary>
public sealed class OptimizerTests
{
    /// <summary>A few parameters of different shapes; transposed ones are not contiguous and take the tensor path.</summary>
    private static Parameter[] Parameters(ScalarType dtype, bool transposed, long seed)
    {
        var generator = new Generator((ulong)seed);
        Tensor Draw(params long[] shape) => randn(shape, dtype: dtype, generator: generator);
        var matrix = transposed ? Draw(37, 61).t() : Draw(61, 37);
        return [new Parameter(matrix), new Parameter(Draw(61)), new Parameter(Draw(5, 3, 7))];
    }

    /// <summary>A loss whose gradients change from step to step and are not all of one sign.</summary>
    private static Tensor Loss(IReadOnlyList<Parameter> parameters, int step)
    {
        var total = zeros(1, dtype: parameters[0].dtype);
        foreach (var p in parameters) total += ((p - 0.1 * step).square() * (p.sin() + 1.5)).sum();
        return total;
    }

    private static double MaxAbs(Tensor a, Tensor b) => (a - b).abs().max().to_type(ScalarType.Float64).item<double>();

    private static void Train(IReadOnlyList<Parameter> parameters, Action zeroGrad, Action step, int from, int steps)
    {
        for (int t = from; t < from + steps; t++)
        {
            zeroGrad();
            Loss(parameters, t).backward();
            step();
        }
    }

    [Theory]
    [InlineData(ScalarType.Float32, false, 2e-6)]
    [InlineData(ScalarType.Float32, true, 2e-6)]
    [InlineData(ScalarType.Float64, false, 1e-12)]
    [InlineData(ScalarType.Float64, true, 1e-12)]
    public void Adam_takes_the_same_steps_as_TorchSharps_Adam(ScalarType dtype, bool transposed, double tolerance)
    {
        var ours = Parameters(dtype, transposed, seed: 3);
        var theirs = Parameters(dtype, transposed, seed: 3);
        using var adam = new Adam(ours, 0.01);
        using var reference = optim.Adam(theirs, 0.01);

        Train(ours, adam.ZeroGrad, adam.Step, 0, 30);
        Train(theirs, reference.zero_grad, () => reference.step(), 0, 30);

        for (int i = 0; i < ours.Length; i++)
        {
            Assert.Equal(transposed && i == 0, !ours[i].is_contiguous());
            double difference = MaxAbs(ours[i], theirs[i]);
            Assert.True(difference < tolerance, $"parameter {i}: max |difference| {difference:E2}");
            double moved = MaxAbs(ours[i], Parameters(dtype, transposed, seed: 3)[i]);
            Assert.True(moved > 0.1, $"parameter {i} hardly moved ({moved:E2}): the comparison would prove nothing");
        }
    }

    [Fact]
    public void Sgd_takes_plain_gradient_steps()
    {
        var ours = Parameters(ScalarType.Float64, transposed: false, seed: 4);
        var theirs = Parameters(ScalarType.Float64, transposed: false, seed: 4);
        using var sgd = Optimizers.Create(new OptimizerSpecification("sgd", 0.02), ours);
        using var reference = optim.SGD(theirs, 0.02);
        Train(ours, sgd.ZeroGrad, sgd.Step, 0, 10);
        Train(theirs, reference.zero_grad, () => reference.step(), 0, 10);
        for (int i = 0; i < ours.Length; i++) Assert.True(ours[i].allclose(theirs[i], rtol: 0, atol: 1e-12));
    }

    [Fact]
    public void Zero_grad_drops_the_gradients_so_the_next_backward_writes_fresh_ones()
    {
        var parameters = Parameters(ScalarType.Float32, transposed: false, seed: 5);
        using var adam = new Adam(parameters, 0.01);
        Loss(parameters, 0).backward();
        Assert.All(parameters, p => Assert.NotNull(p.grad));
        adam.ZeroGrad();
        Assert.All(parameters, p => Assert.Null(p.grad));
        Loss(parameters, 0).backward();
        using var expected = parameters[1].detach().clone().requires_grad_(true);
        ((expected - 0).square() * (expected.sin() + 1.5)).sum().backward();
        Assert.True(parameters[1].grad!.allclose(expected.grad!), "the gradient after ZeroGrad is one backward's, not a sum of two");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_saved_and_loaded_adam_continues_exactly(bool transposed)
    {
        var straight = Parameters(ScalarType.Float32, transposed, seed: 6);
        using var straightAdam = new Adam(straight, 0.01);
        Train(straight, straightAdam.ZeroGrad, straightAdam.Step, 0, 20);

        var first = Parameters(ScalarType.Float32, transposed, seed: 6);
        using var firstAdam = new Adam(first, 0.01);
        Train(first, firstAdam.ZeroGrad, firstAdam.Step, 0, 10);
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true)) firstAdam.Save(writer);

        // A fresh optimiser on the same parameter values, as a resumed run builds it, then the saved state.
        var resumed = Parameters(ScalarType.Float32, transposed, seed: 99);
        using (no_grad())
        {
            for (int i = 0; i < resumed.Length; i++) resumed[i].copy_(first[i]);
        }
        using var resumedAdam = new Adam(resumed, 0.01);
        buffer.Position = 0;
        using (var reader = new BinaryReader(buffer)) resumedAdam.Load(reader);
        Train(resumed, resumedAdam.ZeroGrad, resumedAdam.Step, 10, 10);

        for (int i = 0; i < straight.Length; i++) Assert.True(resumed[i].equal(straight[i]).all().item<bool>(), $"parameter {i} differs after resuming");
    }

    [Fact]
    public void Loading_the_state_of_another_model_is_refused()
    {
        using var adam = new Adam(Parameters(ScalarType.Float32, false, seed: 7), 0.01);
        using var other = new Adam(Parameters(ScalarType.Float32, false, seed: 7).Take(2), 0.01);
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true)) other.Save(writer);
        buffer.Position = 0;
        using var reader = new BinaryReader(buffer);
        Assert.Throws<InvalidDataException>(() => adam.Load(reader));
    }

    [Fact]
    public void The_fused_moments_are_the_exponential_averages_of_g_and_g_squared()
    {
        var gradient = randn(1000, generator: new Generator(8));
        var first = randn(1000, generator: new Generator(9));
        var second = rand(1000, generator: new Generator(10));
        var expectedFirst = first.lerp(gradient, 0.001);
        var expectedSecond = second.lerp(gradient.square(), 0.001);
        Assert.True(HostMemory.TryGetSpan<float>(gradient, out var g));
        Assert.True(HostMemory.TryGetSpan<float>(first, out var m));
        Assert.True(HostMemory.TryGetSpan<float>(second, out var s));
        FusedKernels.Moments<float>(g, m, s, 0.001);
        Assert.True(first.allclose(expectedFirst, rtol: 1e-6, atol: 1e-7));
        Assert.True(second.allclose(expectedSecond, rtol: 1e-6, atol: 1e-7));
    }
}

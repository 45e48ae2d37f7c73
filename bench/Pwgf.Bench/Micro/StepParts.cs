using BenchmarkDotNet.Attributes;
using Pwgf.Estimators.Families;
using Pwgf.Training.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pwgf.Bench.Micro;

/// <summary>
/// The parts of a bernoulli-vae training step (linear model, batch 50, 200 latents) that the worker does its own
/// way, each against the plain TorchSharp way it replaced, on one libtorch thread.
/// </summary>
[MemoryDiagnoser(displayGenColumns: false)]
[GroupBenchmarksBy(BenchmarkDotNet.Configs.BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class StepParts
{
    private const int Pixels = 784, Latents = 200, Batch = 50, Images = 10_000;

    private Parameter[] _torchSharpParameters = [];
    private Parameter[] _fusedParameters = [];
    private optim.Optimizer? _torchSharpAdam;
    private Pwgf.Training.Optimization.Adam? _fusedAdam;
    private Tensor? _intensities;
    private Generator? _generator;
    private Pwgf.Training.Data.BinarisedBatches? _batches;
    private Tensor? _logits;

    [GlobalSetup]
    public void Setup()
    {
        set_num_threads(1);
        _torchSharpParameters = Model(seed: 1);
        _fusedParameters = Model(seed: 1);
        _torchSharpAdam = optim.Adam(_torchSharpParameters, 1e-3);
        _fusedAdam = new Pwgf.Training.Optimization.Adam(_fusedParameters, 1e-3);

        var pixels = new float[Images * Pixels];
        var random = new Random(2);
        for (int i = 0; i < pixels.Length; i++) pixels[i] = random.NextSingle();
        _intensities = tensor(pixels, [Images, Pixels]);
        _generator = new Generator(3);
        _batches = new Pwgf.Training.Data.BinarisedBatches(new ImageSet(pixels, Images, 28, 28), seed: 3);
        _logits = randn(Batch, Latents, generator: _generator);
    }

    /// <summary>Encoder 784-200 and decoder 200-784 with gradients in place, as after a backward pass.</summary>
    private static Parameter[] Model(long seed)
    {
        var generator = new Generator((ulong)seed);
        Parameter Draw(params long[] shape)
        {
            var parameter = new Parameter(randn(shape, generator: generator) * 0.05);
            parameter.grad = randn(shape, generator: generator) * 0.01;
            return parameter;
        }
        return [Draw(Latents, Pixels), Draw(Latents), Draw(Pixels, Latents), Draw(Pixels), Draw(Latents)];
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Adam step")]
    public void TorchSharpAdam() => _torchSharpAdam!.step();

    [Benchmark, BenchmarkCategory("Adam step")]
    public void FusedAdam() => _fusedAdam!.Step();

    [Benchmark(Baseline = true), BenchmarkCategory("binarised batch")]
    public void LibtorchBatch()
    {
        using var scope = NewDisposeScope();
        var indices = randint(0, Images, [Batch], dtype: int64, generator: _generator);
        bernoulli(_intensities!.index_select(0, indices), generator: _generator);
    }

    [Benchmark, BenchmarkCategory("binarised batch")]
    public void BinarisedBatches()
    {
        using var batch = _batches!.Next(Batch, CPU);
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Bernoulli latents")]
    public void LibtorchBernoulli()
    {
        using var scope = NewDisposeScope();
        bernoulli(_logits!.sigmoid(), _generator);
    }

    [Benchmark, BenchmarkCategory("Bernoulli latents")]
    public void UniformBernoulli()
    {
        using var sample = LatentFamily.Bernoulli.Sample(_logits!, _generator);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _torchSharpAdam?.Dispose();
        _fusedAdam?.Dispose();
        foreach (var parameter in _torchSharpParameters.Concat(_fusedParameters)) parameter.Dispose();
        _intensities?.Dispose();
        _generator?.Dispose();
        _logits?.Dispose();
    }
}

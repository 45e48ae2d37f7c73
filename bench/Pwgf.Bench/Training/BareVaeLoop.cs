using System.Diagnostics;
using Pwgf.Estimators;
using Pwgf.Estimators.Families;
using Pwgf.Estimators.Objectives;
using TorchSharp;
using static TorchSharp.torch;

namespace Pwgf.Bench.Training;

/// <summary>
/// The yardstick of the training bench: the bernoulli-vae training step written the way a user would write it by
/// hand in TorchSharp (nn.Linear layers, the estimator library, Adam), with nothing of the service around it: no
/// metrics, no gradient moments, no checkpoints, no database. Same model, batch and estimator as the worker trains.
/// </summary>
public sealed class BareVaeLoop : IDisposable
{
    private const int Pixels = 784;

    private readonly nn.Module<Tensor, Tensor> _encoder;
    private readonly nn.Module<Tensor, Tensor> _decoder;
    private readonly TorchSharp.Modules.Parameter _prior;
    private readonly optim.Optimizer _optimizer;
    private readonly IGradientEstimator _estimator;
    private readonly Tensor _data;
    private readonly int _batch;

    public BareVaeLoop(string architecture, string estimator, int batch = 50, int latent = 200)
    {
        manual_seed(1);
        int[] hidden = architecture == "nonlinear" ? [200, 200] : [];
        _encoder = Network([Pixels, .. hidden, latent]);
        _decoder = Network([latent, .. hidden.Reverse(), Pixels]);
        _prior = new TorchSharp.Modules.Parameter(zeros(latent));
        _optimizer = optim.Adam([.. _encoder.parameters(), .. _decoder.parameters(), _prior], 1e-3);
        _estimator = EstimatorRegistry.Find(estimator)!.Build(LatentDistribution.Bernoulli, new Dictionary<string, double>());
        _data = rand(50_000, Pixels);                      // intensities; the speed does not depend on their values
        _batch = batch;
    }

    /// <summary>FLOPs of one step's matrix multiplies (forward and the two backward products), per evaluation of f.</summary>
    public static double MatmulFlops(string architecture, string estimator, int batch = 50, int latent = 200)
    {
        int[] hidden = architecture == "nonlinear" ? [200, 200] : [];
        int[] encoder = [Pixels, .. hidden, latent], decoder = [latent, .. hidden.Reverse(), Pixels];
        double Products(int[] sizes, int rows) => Enumerable.Range(0, sizes.Length - 1).Sum(i => 2.0 * rows * sizes[i] * sizes[i + 1]);
        int evaluations = estimator == "disarm" ? 2 : 1;
        // Backward costs two products per forward one (input and weight gradients).
        return 3 * (Products(encoder, batch) + Products(decoder, batch * evaluations));
    }

    public void Step()
    {
        using var scope = NewDisposeScope();
        var x = bernoulli(_data.index_select(0, randint(0, _data.shape[0], [_batch], dtype: int64)));
        var logits = _encoder.forward(x);
        var reconstruction = _estimator.Surrogate(logits, new Decoder(_decoder, x), null);
        var p = logits.sigmoid();
        var kl = (p * (nn.functional.logsigmoid(logits) - nn.functional.logsigmoid(_prior))
                  + (1 - p) * (nn.functional.logsigmoid(-logits) - nn.functional.logsigmoid(-_prior))).sum(-1);
        _optimizer.zero_grad();
        (reconstruction + kl).mean().backward();
        _optimizer.step();
    }

    /// <summary>Steps per second: the median of <paramref name="windows"/> timed windows after a warm-up.</summary>
    public double Measure(int warmUp, int window, int windows)
    {
        for (int i = 0; i < warmUp; i++) Step();
        var rates = new List<double>();
        for (int w = 0; w < windows; w++)
        {
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < window; i++) Step();
            rates.Add(window / clock.Elapsed.TotalSeconds);
        }
        return Statistics.Median(rates);
    }

    private static nn.Module<Tensor, Tensor> Network(int[] sizes)
    {
        var layers = new List<nn.Module<Tensor, Tensor>>();
        for (int i = 0; i + 1 < sizes.Length; i++)
        {
            layers.Add(nn.Linear(sizes[i], sizes[i + 1]));
            if (i + 2 < sizes.Length) layers.Add(nn.LeakyReLU(0.3));
        }
        return nn.Sequential(layers);
    }

    /// <summary>f(z) = -log p(x | z); rows of several samples per image are stacked sample-major.</summary>
    private sealed class Decoder(nn.Module<Tensor, Tensor> decoder, Tensor images) : IObjective
    {
        public Tensor Evaluate(LatentFamily family, Tensor sample)
        {
            var paired = sample.shape[0] == images.shape[0] ? images : images.repeat(sample.shape[0] / images.shape[0], 1);
            return nn.functional.binary_cross_entropy_with_logits(decoder.forward(sample), paired, reduction: nn.Reduction.None).sum(-1);
        }
    }

    public void Dispose()
    {
        (_estimator as IDisposable)?.Dispose();
        _optimizer.Dispose();
        _encoder.Dispose();
        _decoder.Dispose();
        _prior.Dispose();
        _data.Dispose();
    }
}

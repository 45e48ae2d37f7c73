using System.Diagnostics;
using Pwgf.Estimators;
using Pwgf.Training.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Pwgf.Training.Vae;

/// <summary>
/// Trains a discrete-latent VAE: the estimator supplies the encoder's gradient of E_q[-log p(x | z)], while the
/// KL term (closed form), the decoder and the prior get exact autodiff gradients. An estimator that trains a
/// multi-sample bound (<see cref="IMultiSampleBoundEstimator"/>, VIMCO) replaces the whole ELBO by its bound, prior
/// and log q included, so no KL term is added. Images are binarised afresh
/// every time a batch is drawn; evaluation images are binarised once, with a fixed seed, so every evaluation of
/// every run scores the same binary images.
/// </summary>
public sealed class VaeSession : TrainingSession
{
    public static readonly MetricDefinition TrainNegElbo = new("train_neg_elbo", "Training -ELBO", "nats", MetricScale.Linear, LowerIsBetter: true,
        "Mean single-sample negative ELBO of the training batches since the previous evaluation.");

    public static readonly MetricDefinition ValidNegLogLikelihood = new("valid_neg_log_likelihood", "Validation bound", "nats", MetricScale.Linear, LowerIsBetter: true,
        "Importance-weighted upper bound on the negative log-likelihood of evalImages validation images (importanceSamples samples each); picks a run's best step.");

    public static readonly MetricDefinition TestNegLogLikelihood = new("test_neg_log_likelihood", "Test bound", "nats", MetricScale.Linear, LowerIsBetter: true,
        "Importance-weighted upper bound on the negative log-likelihood of evalImages test images (importanceSamples samples each); ranks estimators.");

    public static readonly MetricDefinition EncoderGradVariance = new("encoder_grad_variance", "Encoder gradient variance", "", MetricScale.Log, LowerIsBetter: true,
        "Mean over encoder weights of the variance of their training gradient, from moving averages of g and g^2 (decay 0.999).");

    public static readonly MetricDefinition StepsPerSecond = new("steps_per_second", "Training speed", "steps/s", MetricScale.Linear, LowerIsBetter: false,
        "Training steps per second of wall-clock time since the previous evaluation (evaluation itself excluded).");

    public static IReadOnlyList<MetricDefinition> Metrics { get; } =
        [TrainNegElbo, ValidNegLogLikelihood, TestNegLogLikelihood, EncoderGradVariance, StepsPerSecond];

    /// <summary>Rows (images x importance samples) pushed through the decoder at once during evaluation.</summary>
    private const int EvaluationRows = 20_000;

    private const ulong DataStream = 0xDA7A_5EEDUL;
    private const ulong InitStream = 0x1A1_7EEDUL;

    private readonly VaeProblem _problem;
    private readonly VaeModel _model;
    private readonly GradientMovingAverages _moments;
    private readonly Tensor _validation;                // [V, pixels] in {0, 1}
    private readonly Tensor _test;                      // [T, pixels] in {0, 1}
    private readonly BinarisedBatches _batches;         // the same for every estimator
    private readonly Generator _noise;                  // the estimator's samples
    private readonly Tensor _elboSum;                   // sum of per-step -ELBO since the last evaluation (on the device)
    private int _elboSteps;
    private int _stepsSinceEvaluation;
    private readonly Stopwatch _sinceEvaluation = new();

    private VaeSession(VaeProblem problem, RunConfiguration configuration, IGradientEstimator estimator, TaskContext context)
        : base(configuration, estimator, context.Device)
    {
        _problem = problem;
        var device = context.Device;

        var splits = context.Datasets.Load(problem.Dataset);
        var train = problem.TrainSubset > 0 && problem.TrainSubset < splits.Train.Count
            ? splits.Train.Select([.. Enumerable.Range(0, problem.TrainSubset)])
            : splits.Train;
        using (var binarise = new Generator(DatasetCatalog.SplitSeed, device))
        {
            _validation = Own(Binarised(splits.Validation, problem.EvalImages, binarise, device));
            _test = Own(Binarised(splits.Test, problem.EvalImages, binarise, device));
        }

        using (var init = new Generator((ulong)configuration.Seed ^ InitStream, device))
        using (var pixels = Pixels(train, device))
        using (var meanImage = pixels.mean([0]))
        {
            _model = Own(new VaeModel(problem, train.PixelsPerImage, meanImage, init, device));
        }
        Train(_model.Parameters);
        _moments = Own(new GradientMovingAverages([.. _model.Encoder.Parameters], decay: 0.999));
        _batches = new BinarisedBatches(train, (ulong)configuration.Seed ^ DataStream);
        _noise = RandomStream(0);
        _elboSum = Own(zeros(1, dtype: float64, device: device));
    }

    public static VaeSession Start(VaeProblem problem, RunConfiguration configuration, IGradientEstimator estimator, TaskContext context) =>
        new(problem, configuration, estimator, context);

    protected override IEnumerable<CheckpointPart> State =>
    [
        new("encoder gradient moments", _moments.Save, _moments.Load),
        new("training batches", _batches.Save, _batches.Load),
        CheckpointPart.Generator("estimator noise", _noise),
        CheckpointPart.Tensors("-ELBO sum", [_elboSum]),
        CheckpointPart.Int32("-ELBO steps", () => _elboSteps, steps => _elboSteps = steps),
    ];

    public override void Step()
    {
        if (!_sinceEvaluation.IsRunning) _sinceEvaluation.Start();
        using var scope = NewDisposeScope();
        var images = _batches.Next(_problem.BatchSize, TensorDevice);                             // [B, pixels]

        var (parameters, estimated) = Estimate(images);                                           // [B, dims(, K)], [B]
        Tune(estimated, parameters);
        var kl = _model.KullbackLeibler(parameters);                                              // [B]
        var loss = (TrainsBound ? estimated : estimated + kl).mean();

        Optimizer.ZeroGrad();
        loss.backward();
        _moments.Update();
        Optimizer.Step();

        // The surrogate's value estimates E_q[-log p(x | z)] unless the estimator evaluated f at relaxed points or
        // trains a multi-sample bound (whose value is -L_K, not the -ELBO the metric reports).
        using (no_grad())
        {
            var negElbo = Estimator.Relaxed || TrainsBound
                ? (_model.ReconstructionLoss(_model.Family.Sample(parameters.detach(), _noise), images) + kl).mean()
                : loss;
            _elboSum.add_(negElbo.detach().to_type(float64));
        }
        _elboSteps++;
        _stepsSinceEvaluation++;
    }

    /// <summary>
    /// The estimated part of a step's loss: the latent parameters the encoder gives <paramref name="images"/>
    /// [n, pixels], and the estimator's surrogate per image [n], through which the encoder gets the estimator's
    /// gradient and the decoder its exact one. The surrogate stands for E_q[-log p(x | z)], or for the negated
    /// multi-sample bound -L_K when <see cref="TrainsBound"/>. (Tests compare its encoder gradient with enumeration.)
    /// </summary>
    internal (Tensor Parameters, Tensor Estimated) Estimate(Tensor images)
    {
        var parameters = _model.Encode(images);                                                   // [n, dims(, K)]
        return (parameters, Estimator.Surrogate(parameters, new DecoderObjective(_model, images), _noise));
    }

    /// <summary>Whether the estimator trains a multi-sample bound in place of the ELBO (VIMCO).</summary>
    internal bool TrainsBound => Estimator is IMultiSampleBoundEstimator;

    /// <summary>The model being trained (for tests that look inside a step).</summary>
    internal VaeModel Model => _model;

    public override IReadOnlyList<MetricValue> Evaluate()
    {
        _sinceEvaluation.Stop();
        var metrics = new List<MetricValue>();
        if (_elboSteps > 0)
        {
            metrics.Add(new(TrainNegElbo, _elboSum.item<double>() / _elboSteps));
            _elboSum.zero_();
            _elboSteps = 0;
        }
        if (_stepsSinceEvaluation > 0 && _sinceEvaluation.Elapsed > TimeSpan.Zero)
        {
            metrics.Add(new(StepsPerSecond, _stepsSinceEvaluation / _sinceEvaluation.Elapsed.TotalSeconds));
        }

        // The same importance samples at every evaluation of a run: the curve moves only with the model.
        using (var noise = new Generator((ulong)Configuration.Seed, TensorDevice))
        {
            metrics.Add(new(ValidNegLogLikelihood, ImportanceWeightedBound(_validation, noise)));
            metrics.Add(new(TestNegLogLikelihood, ImportanceWeightedBound(_test, noise)));
        }
        if (_moments.Updates > 0) metrics.Add(new(EncoderGradVariance, _moments.Variance()));

        _stepsSinceEvaluation = 0;
        _sinceEvaluation.Reset();
        return metrics;
    }

    /// <summary>
    /// -log p(x) bounded by importance sampling with S samples from q (Burda et al.):
    /// log p(x) >= log (1/S) sum_s p(x | z_s) p(z_s) / q(z_s | x). Returns the mean over images of the negated bound.
    /// </summary>
    private double ImportanceWeightedBound(Tensor images, Generator noise)
    {
        using var _ = no_grad();
        int samples = _problem.ImportanceSamples;
        int chunk = Math.Max(1, EvaluationRows / samples);
        double total = 0;
        for (long start = 0; start < images.shape[0]; start += chunk)
        {
            using var scope = NewDisposeScope();
            var x = images.narrow(0, start, Math.Min(chunk, images.shape[0] - start));              // [c, pixels]
            long count = x.shape[0];
            var parameters = _model.Encode(x);                                                    // [c, dims(, K)]
            var repeated = parameters.unsqueeze(0).expand([samples, .. parameters.shape]);
            var flatParameters = repeated.reshape([samples * count, .. parameters.shape[1..]]);
            var z = _model.Family.Sample(flatParameters, noise);                                  // sample-major rows
            var logWeight = -_model.ReconstructionLoss(z, x.repeat(samples, 1))
                            + _model.LogPrior(z) - _model.Family.LogProbability(z, flatParameters); // [S c]
            var bound = logWeight.reshape(samples, count).to_type(float64).logsumexp(0) - Math.Log(samples); // [c]
            total += bound.sum().item<double>();
        }
        return -total / images.shape[0];
    }

    /// <summary>Intensities of a set as one [count, pixels] tensor.</summary>
    private static Tensor Pixels(ImageSet images, Device device) =>
        tensor(images.Pixels, [images.Count, images.PixelsPerImage], device: device);

    /// <summary>The first <paramref name="limit"/> images (0: all), each pixel drawn once ~ Bernoulli(intensity).</summary>
    private static Tensor Binarised(ImageSet images, int limit, Generator generator, Device device)
    {
        int count = limit > 0 ? Math.Min(limit, images.Count) : images.Count;
        using var pixels = Pixels(count == images.Count ? images : images.Select([.. Enumerable.Range(0, count)]), device);
        return bernoulli(pixels, generator: generator);
    }
}

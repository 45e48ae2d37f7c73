using Pwgf.Estimators;
using Pwgf.Estimators.Diagnostics;
using Pwgf.Statistics;
using TorchSharp;
using static TorchSharp.torch;

namespace Pwgf.Training.Toys;

/// <summary>
/// Trains the unconstrained parameters of a toy problem (logits or log-rates, all starting at 0) directly with an
/// estimator's gradient, and measures that gradient against the exact one at every evaluation.
/// </summary>
public sealed class ToySession : TrainingSession
{
    public static readonly MetricDefinition Loss = new("loss", "Loss", "", MetricScale.Linear, LowerIsBetter: true,
        "The exact expected objective E[f(z)] at the current parameters (closed form or a sum over the support).");

    public static readonly MetricDefinition ParameterMean = new("parameter_mean", "Mean parameter", "", MetricScale.Linear, LowerIsBetter: null,
        "Mean over coordinates of E[v(z_i)]: the Bernoulli probability, the Poisson rate or the expected class index.");

    public static readonly MetricDefinition GradCosine = new("grad_cosine", "Cosine to the exact gradient", "", MetricScale.Linear, LowerIsBetter: false,
        "Cosine between the mean of diagnosticSamples single-sample estimates and the exact gradient; 1 means the same direction. Recorded only where the exact gradient stands out of the Monte Carlo noise and has more than one coordinate.");

    public static readonly MetricDefinition GradRelativeBias = new("grad_relative_bias", "Relative bias (noise-corrected)", "", MetricScale.Linear, LowerIsBetter: true,
        "|mean estimate - exact gradient| / |exact gradient| with the Monte Carlo noise of the mean subtracted from the squared distance (0 where the noise explains it all). Not recorded where the exact gradient vanishes.");

    public static readonly MetricDefinition GradRelativeBiasUpper95 = new("grad_relative_bias_upper95", "Relative bias, upper 95% bound", "", MetricScale.Linear, LowerIsBetter: true,
        "An upper 95% confidence bound on the true relative bias from the same diagnosticSamples estimates: the Monte Carlo uncertainty of grad_relative_bias within one evaluation. Not recorded where the exact gradient vanishes.");

    public static readonly MetricDefinition GradBiasPValue = new("grad_bias_pvalue", "Bias test p-value", "", MetricScale.Log, LowerIsBetter: null,
        "p-value of the test that the mean estimate equals the exact gradient (Hotelling's T^2 or its diagonal form); small values are evidence of bias. Values below 1e-16, where the tail probability is no longer resolved in double precision, are recorded as 1e-16.");

    public static readonly MetricDefinition GradLogVariance = new("grad_log_variance", "Gradient variance", "", MetricScale.NaturalLog, LowerIsBetter: true,
        "The natural log of the per-coordinate variance of single-sample estimates, averaged over coordinates. Average it over seeds as it is (a geometric mean of variances). Absent for an estimator without variance.");

    public static IReadOnlyList<MetricDefinition> Metrics { get; } = [Loss, ParameterMean, GradCosine, GradRelativeBias, GradRelativeBiasUpper95, GradBiasPValue, GradLogVariance];

    /// <summary>The floor of recorded p-values: below it 1 - CDF has no correct digits left in double precision.</summary>
    private const double SmallestPValue = 1e-16;

    private readonly ToyProblem _problem;
    private readonly TorchSharp.Modules.Parameter _theta;           // [dims] or [dims, classes]
    private readonly Generator _training;
    private readonly Generator _diagnostics;

    private ToySession(ToyProblem problem, RunConfiguration configuration, IGradientEstimator estimator, Device device)
        : base(configuration, estimator, device)
    {
        _problem = problem;
        _theta = Own(new TorchSharp.Modules.Parameter(zeros(problem.ParameterShape, dtype: float64, device: device)));
        Train([_theta]);
        // Two streams, so how often a run evaluates never changes the samples its training steps see.
        _training = RandomStream(0);
        _diagnostics = RandomStream(0x5DEECE66DUL);
    }

    public static ToySession Start(ToyProblem problem, RunConfiguration configuration, IGradientEstimator estimator, Device device) =>
        new(problem, configuration, estimator, device);

    protected override IEnumerable<CheckpointPart> State =>
    [
        CheckpointPart.Generator("training stream", _training),
        CheckpointPart.Generator("diagnostics stream", _diagnostics),
    ];

    public override void Step()
    {
        using var scope = NewDisposeScope();
        var parameters = Rows(_theta, _problem.BatchSize);                                                 // [batch, dims(, K)]
        var surrogate = Estimator.Surrogate(parameters, _problem.Objective, _training);
        Tune(surrogate, parameters);
        Optimizer.ZeroGrad();
        surrogate.mean().backward();
        Optimizer.Step();
    }

    public override IReadOnlyList<MetricValue> Evaluate()
    {
        using var scope = NewDisposeScope();
        var point = _theta.detach().clone().requires_grad_(true);                                          // [dims(, K)]
        var expected = _problem.Objective.Expectation(_problem.Family, point.unsqueeze(0)).squeeze(0);     // []
        var exact = autograd.grad([expected], [point])[0].flatten();                                       // [dims * K]

        var rows = Rows(point.detach(), _problem.DiagnosticSamples).clone().requires_grad_(true);          // [M, dims(, K)]
        Estimator.Surrogate(rows, _problem.Objective, _diagnostics).sum().backward();
        var perSample = rows.grad!.reshape(_problem.DiagnosticSamples, -1);                                // [M, dims * K]
        // The same bias statistics as the diagnostics endpoint: noise-corrected relative bias, its test, and a cosine
        // only where the exact gradient stands out of the noise (and never in one dimension, where it is +-1).
        var bias = GradientBias.Assess(exact.cpu().data<double>().ToArray(), GradientMoments.Of(perSample));

        var metrics = new List<MetricValue>
        {
            new(Loss, expected.item<double>()),
            new(ParameterMean, MeanCoordinateValue(point)),
            new(GradBiasPValue, Math.Max(bias.BiasTest.PValue, SmallestPValue)),
        };
        if (bias.CosineSimilarity is { } cosine) metrics.Add(new(GradCosine, cosine));
        if (bias.RelativeBiasCorrected is { } corrected) metrics.Add(new(GradRelativeBias, corrected));
        if (bias.RelativeBiasUpper95 is { } upper) metrics.Add(new(GradRelativeBiasUpper95, upper));
        if (bias.MeanVariance > 0)
        {
            metrics.Add(new(GradLogVariance, Math.Log(bias.MeanVariance)));
        }
        return metrics;
    }

    /// <summary>The parameters repeated for n independent examples: [n, dims(, K)].</summary>
    private Tensor Rows(Tensor parameters, int n) => parameters.unsqueeze(0).expand([n, .. _problem.ParameterShape]);

    /// <summary>Mean over coordinates of E[v(z_i)]: p, lambda, or the expected class index.</summary>
    private double MeanCoordinateValue(Tensor point)
    {
        using var _ = no_grad();
        return _problem.Family.ExpectPerCoordinate(v => v, point.unsqueeze(0)).mean().item<double>();
    }
}

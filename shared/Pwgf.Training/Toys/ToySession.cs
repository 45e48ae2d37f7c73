using Pwgf.Estimators;
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
        "Cosine between the mean of diagnosticSamples single-sample estimates and the exact gradient; 1 means the same direction. Not recorded where the exact gradient vanishes.");

    public static readonly MetricDefinition GradRelativeBias = new("grad_relative_bias", "Relative bias", "", MetricScale.Linear, LowerIsBetter: true,
        "|mean estimate - exact gradient| / |exact gradient| over diagnosticSamples single-sample estimates. Not recorded where the exact gradient vanishes.");

    public static readonly MetricDefinition GradLogVariance = new("grad_log_variance", "Gradient variance", "", MetricScale.NaturalLog, LowerIsBetter: true,
        "The natural log of the per-coordinate variance of single-sample estimates, averaged over coordinates. Average it over seeds as it is (a geometric mean of variances).");

    public static IReadOnlyList<MetricDefinition> Metrics { get; } = [Loss, ParameterMean, GradCosine, GradRelativeBias, GradLogVariance];

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
        var mean = perSample.mean([0]);                                                                    // [dims * K]
        double variance = perSample.var(0).mean().item<double>();

        var metrics = new List<MetricValue>
        {
            new(Loss, expected.item<double>()),
            new(ParameterMean, MeanCoordinateValue(point)),
        };
        double exactNorm = exact.norm().item<double>();
        if (exactNorm > 1e-12)
        {
            metrics.Add(new(GradCosine, nn.functional.cosine_similarity(mean, exact, dim: 0).item<double>()));
            metrics.Add(new(GradRelativeBias, (mean - exact).norm().item<double>() / exactNorm));
        }
        if (variance > 0)
        {
            metrics.Add(new(GradLogVariance, Math.Log(variance)));
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

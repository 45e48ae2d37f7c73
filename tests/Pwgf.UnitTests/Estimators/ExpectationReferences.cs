using Pwgf.Estimators.Families;
using Pwgf.UnitTests.Support;
using static TorchSharp.torch;

namespace Pwgf.UnitTests.Estimators;

/// <summary>
/// An estimator's exact expected gradient on a problem, computed without its implementation: the exact gradient for
/// unbiased estimators, enumeration of the sample for estimators whose estimate the sample determines, and
/// deterministic quadrature over the Gumbel or exponential noise for the relaxations.
/// </summary>
public delegate double[] ExpectationReference(ConformanceProblem problem, EstimatorSetting setting);

public static class ExpectationReferences
{
    /// <summary>Gauss-Legendre order per simplex dimension of <see cref="GumbelQuadrature"/>.</summary>
    private const int GumbelOrder = 24;

    public static double[] Exact(ConformanceProblem problem, EstimatorSetting _) =>
        Enumeration.ExactGradient(problem.Family, problem.Objective, problem.Point, problem.Dims, problem.Classes);

    /// <summary>Enumeration of every joint sample with the per-sample rule of <paramref name="rule"/>.</summary>
    public static ExpectationReference Enumerated(Func<LatentDistribution, EstimatorSetting, CoordinateRule> rule) =>
        (problem, setting) => Enumeration.ExpectedRule(problem.Family, problem.Objective, problem.Point, problem.Dims, problem.Classes,
            rule(problem.Distribution, setting));

    /// <summary>
    /// ST-Gumbel-softmax and Gumbel-Rao (same mean): f at the hard sample, J(y)/tau backward with
    /// y = softmax((theta + G)/tau). E g_d = sum_z P(z) E[dy_d/dtheta_d | hard_d = z_d]^T grad_d f(z): the hard samples
    /// are enumerated, each coordinate's conditional Jacobian comes from the Gumbel quadrature split by winner.
    /// A Bernoulli coordinate is the two-class case with logits (0, phi), f seeing the second class.
    /// </summary>
    public static double[] StraightThroughGumbel(ConformanceProblem problem, EstimatorSetting setting)
    {
        using var scope = NewDisposeScope();
        double temperature = setting.Number("temperature");
        bool binary = problem.Distribution == LatentDistribution.Bernoulli;
        int width = binary ? 2 : problem.Classes, dims = problem.Dims;

        var (states, probabilities) = Enumeration.States(problem.Family, problem.Point, dims, problem.Classes);
        var gradients = Enumeration.SampleGradients(problem.Family, problem.Objective, states).reshape(states.shape[0], dims, -1);
        var mass = probabilities.data<double>().ToArray();
        var classOf = (binary ? states : states.argmax(-1).to_type(float64)).reshape(states.shape[0], dims).data<double>().ToArray();
        var grad = gradients.data<double>().ToArray();
        int perState = (int)gradients.shape[^1];

        var surrogate = zeros(1, dtype: float64);
        var leaf = tensor(problem.Point, dtype: float64).requires_grad_(true);
        for (int d = 0; d < dims; d++)
        {
            var logits = CoordinateLogits(problem, leaf, d);                                   // [width]
            // r[D] = sum over states with class D at d of P(z) grad_d f(z), divided by P(class D at d).
            var weighted = new double[width, width];
            var marginal = new double[width];
            for (int n = 0; n < mass.Length; n++)
            {
                int winner = (int)classOf[n * dims + d];
                marginal[winner] += mass[n];
                for (int k = 0; k < perState; k++)
                    weighted[winner, binary ? 1 : k] += mass[n] * grad[(n * dims + d) * perState + k];
            }
            foreach (var piece in GumbelQuadrature.Conditional([.. logits.detach().data<double>()], GumbelOrder))
            {
                if (marginal[piece.Winner] == 0) continue;
                var relaxed = ((logits.unsqueeze(0) + piece.Noise) / temperature).softmax(-1);  // [n, width]
                var direction = tensor(Enumerable.Range(0, width).Select(k => weighted[piece.Winner, k] / marginal[piece.Winner]).ToArray(), dtype: float64);
                surrogate = surrogate + ((piece.Weights.unsqueeze(-1) * relaxed).sum(0L) * direction).sum();
            }
        }
        return autograd.grad([surrogate.sum()], [leaf])[0].data<double>().ToArray();
    }

    /// <summary>Gumbel-softmax (relaxed): the gradient of E f at the relaxed samples, from each coordinate's moments.</summary>
    public static double[] GumbelSoftmax(ConformanceProblem problem, EstimatorSetting setting)
    {
        double temperature = setting.Number("temperature");
        bool binary = problem.Distribution == LatentDistribution.Bernoulli;
        return RelaxedExpectation(problem, (leaf, d) =>
        {
            var logits = CoordinateLogits(problem, leaf, d);
            var pieces = GumbelQuadrature.Conditional([.. logits.detach().data<double>()], GumbelOrder);
            var (mean, second) = RelaxationMoments.GumbelSoftmax(logits, temperature, pieces);
            return binary ? (mean[1..], second[1..][.., 1..]) : (mean, second);
        });
    }

    public static double[] ExponentialArrivals(ConformanceProblem problem, EstimatorSetting setting) =>
        RelaxedExpectation(problem, (leaf, d) =>
            RelaxationMoments.ExponentialArrivals(leaf[d..(d + 1)], setting.Number("temperature"), (int)setting.Number("arrivals")));

    public static double[] GeneralizedGumbelSoftmax(ConformanceProblem problem, EstimatorSetting setting) =>
        RelaxedExpectation(problem, (leaf, d) =>
            RelaxationMoments.GeneralizedGumbelSoftmax(leaf[d..(d + 1)], setting.Number("temperature"), (int)setting.Number("truncation"), GumbelOrder));

    /// <summary>Only quadratic objectives: their expectation needs each coordinate's first two moments alone.</summary>
    public static bool Quadratic(ConformanceProblem problem)
    {
        try
        {
            QuadraticForm.Of(problem.Objective, problem.Family, problem.Shape);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static double[] RelaxedExpectation(ConformanceProblem problem, Func<Tensor, int, (Tensor Mean, Tensor Second)> moments)
    {
        using var scope = NewDisposeScope();
        var form = QuadraticForm.Of(problem.Objective, problem.Family, problem.Shape);
        var leaf = tensor(problem.Point, dtype: float64).requires_grad_(true);
        int width = Math.Max(problem.Classes, 1);
        var blocks = Enumerable.Range(0, problem.Dims).Select(d =>
        {
            var (mean, second) = moments(leaf, d);
            return (d * width, mean, second);
        }).ToList();
        return autograd.grad([form.Expectation(blocks)], [leaf])[0].data<double>().ToArray();
    }

    /// <summary>Coordinate d's logits as a slice of the leaf: K logits, or (0, phi) for a Bernoulli coordinate.</summary>
    private static Tensor CoordinateLogits(ConformanceProblem problem, Tensor leaf, int d) =>
        problem.Distribution == LatentDistribution.Bernoulli
            ? cat([zeros(1, dtype: float64), leaf[d..(d + 1)]], 0)
            : leaf[(d * problem.Classes)..((d + 1) * problem.Classes)];
}

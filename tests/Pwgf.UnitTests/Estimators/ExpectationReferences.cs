using Pwgf.Estimators.Objectives;
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

    /// <summary>
    /// st-eat: f'(N)_i D_i per log-rate, with N the count of arrivals before 1 and
    /// D = sum_k sigmoid'((1 - t_k) / tau) t_k / tau. Conditioning on the k-th arrival time t_k = s (Gamma(k, lambda)):
    /// when s &lt; 1, N = k + Poisson(lambda (1 - s)); when s &gt;= 1, N ~ Binomial(k - 1, 1 / s). So
    /// E[N^m D] = sum_k integral Gamma(s; k, lambda) h(s) E[N^m | t_k = s] ds with h(s) = sigmoid'((1 - s)/tau) s / tau,
    /// integrated by composite Simpson on [0, 1] and [1, 1 + 60 tau] (2000 intervals each; beyond, h &lt; e^-60);
    /// its own error is below 1e-9.
    /// </summary>
    public static double[] StraightThroughArrivals(ConformanceProblem problem, EstimatorSetting setting) =>
        StraightThroughArrivalsAt(problem, setting.Number("temperature"));

    /// <summary>The expectation of st-eat's per-log-rate estimate for the quadratic conformance objectives.</summary>
    public static double[] StraightThroughArrivalsAt(ConformanceProblem problem, double temperature)
    {
        var rates = problem.Point.Select(Math.Exp).ToArray();
        var moments = rates.Select(rate => (D: ArrivalMoment(rate, temperature, 0), ND: ArrivalMoment(rate, temperature, 1))).ToArray();
        return problem.Objective switch
        {
            // f = sum_i (z_i - t)^2: f'_i = 2 (N_i - t)
            PowerObjective { Power: 2, Reduction: Reduction.Sum } power =>
                [.. moments.Select(m => 2 * m.ND - 2 * power.Target * m.D)],
            // f = (sum_j w_j z_j - T)^2: f'_i = 2 w_i (w_i N_i + sum_{j != i} w_j N_j - T), the other counts independent
            LinearSquareObjective linear => [.. moments.Select((m, i) =>
            {
                double others = linear.Weights.Select((w, j) => j == i ? 0 : w * rates[j]).Sum();
                return 2 * linear.Weights[i] * (linear.Weights[i] * m.ND + (others - linear.Target) * m.D);
            })],
            _ => throw new ArgumentException("Only the quadratic conformance objectives have a reference here."),
        };
    }

    /// <summary>E[N^power D] for one coordinate of rate <paramref name="rate"/> (power 0 or 1).</summary>
    private static double ArrivalMoment(double rate, double temperature, int power)
    {
        double total = 0, logFactorial = 0;                       // log (k - 1)!
        for (int k = 1; k <= 200; k++)
        {
            if (k > 1) logFactorial += Math.Log(k - 1);
            int arrival = k;
            double Density(double s) => s <= 0 ? 0 : Math.Exp(arrival * Math.Log(rate) + (arrival - 1) * Math.Log(s) - rate * s - logFactorial);
            double Weight(double s)
            {
                double sigmoid = 1 / (1 + Math.Exp(-(1 - s) / temperature));
                return sigmoid * (1 - sigmoid) * s / temperature;
            }
            double Before(double s) => power == 0 ? 1 : arrival + rate * (1 - s);   // E[N^power | t_k = s < 1]
            double After(double s) => power == 0 ? 1 : (arrival - 1) / s;           // E[N^power | t_k = s >= 1]
            total += Simpson(s => Density(s) * Weight(s) * Before(s), 0, 1, 2000)
                     + Simpson(s => Density(s) * Weight(s) * After(s), 1, 1 + 60 * temperature, 2000);
        }
        return total;
    }

    private static double Simpson(Func<double, double> f, double from, double to, int intervals)
    {
        double h = (to - from) / intervals, sum = f(from) + f(to);
        for (int i = 1; i < intervals; i++) sum += f(from + i * h) * (i % 2 == 1 ? 4 : 2);
        return sum * h / 3;
    }


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

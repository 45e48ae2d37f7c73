using Pwgf.Estimators.Families;
using Pwgf.Estimators.Objectives;
using static TorchSharp.torch;

namespace Pwgf.UnitTests.Support;

/// <summary>
/// Brute-force references, independent of the library's own support sums: every joint state of a small problem
/// with its probability (Poisson counts cut where the tail is below 1e-13 per coordinate).
/// </summary>
public static class Enumeration
{
    /// <summary>States [n, dims(, K)] and their probabilities [n] at one parameter point.</summary>
    public static (Tensor States, Tensor Probabilities) States(LatentFamily family, double[] point, int dims, int classes)
    {
        var perCoordinate = new List<(double Value, double Probability)[]>();
        for (int i = 0; i < dims; i++)
        {
            perCoordinate.Add(family.Distribution switch
            {
                LatentDistribution.Bernoulli => [(0, 1 - Sigmoid(point[i])), (1, Sigmoid(point[i]))],
                LatentDistribution.Categorical => Softmax(point.AsSpan(i * classes, classes)).Select((p, k) => ((double)k, p)).ToArray(),
                _ => PoissonMasses(Math.Exp(point[i])),
            });
        }

        var states = new List<double[]>();
        var probabilities = new List<double>();
        Expand(0, [], 1.0);
        var shape = family.Distribution == LatentDistribution.Categorical ? new long[] { states.Count, dims, classes } : [states.Count, dims];
        return (tensor(states.SelectMany(s => s).ToArray(), float64).reshape(shape), tensor(probabilities.ToArray(), float64));

        void Expand(int coordinate, List<double> chosen, double probability)
        {
            if (coordinate == dims)
            {
                states.Add(family.Distribution == LatentDistribution.Categorical ? OneHot(chosen, classes) : [.. chosen]);
                probabilities.Add(probability);
                return;
            }
            foreach (var (value, p) in perCoordinate[coordinate])
            {
                Expand(coordinate + 1, [.. chosen, value], probability * p);
            }
        }
    }

    /// <summary>E f(z) by enumeration.</summary>
    public static double Expectation(LatentFamily family, IObjective objective, double[] point, int dims, int classes)
    {
        var (states, probabilities) = States(family, point, dims, classes);
        return (objective.Evaluate(family, states) * probabilities).sum().item<double>();
    }

    /// <summary>
    /// The exact gradient of E f with respect to the point, by differentiating the enumerated sum
    /// sum_z P(z) f(z), P written out here from each family's mass function: [dims(, K)] flattened.
    /// </summary>
    public static double[] ExactGradient(LatentFamily family, IObjective objective, double[] point, int dims, int classes)
    {
        using var scope = NewDisposeScope();
        var (states, _) = States(family, point, dims, classes);
        var leaf = tensor(point, dtype: float64).requires_grad_(true);
        var logMass = family.Distribution switch
        {
            LatentDistribution.Bernoulli =>
                (states * nn.functional.logsigmoid(leaf) + (1 - states) * nn.functional.logsigmoid(-leaf)).sum(-1),
            LatentDistribution.Categorical => (states * leaf.reshape(dims, classes).log_softmax(-1)).sum([-2, -1]),
            _ => (states * leaf - leaf.exp() - (states + 1).lgamma()).sum(-1),
        };
        var expected = (logMass.exp() * objective.Evaluate(family, states).detach()).sum();
        return autograd.grad([expected], [leaf])[0].data<double>().ToArray();
    }

    /// <summary>
    /// E[g] of a per-sample rule by enumeration: sum over every joint state of P(z) times the rule applied to each
    /// coordinate with grad_z f(z) at that state. Flattened like the point.
    /// </summary>
    public static double[] ExpectedRule(LatentFamily family, IObjective objective, double[] point, int dims, int classes, CoordinateRule rule)
    {
        using var scope = NewDisposeScope();
        var (states, probabilities) = States(family, point, dims, classes);
        int width = Math.Max(classes, 1);
        var values = states.data<double>().ToArray();
        var gradients = SampleGradients(family, objective, states).data<double>().ToArray();
        var mass = probabilities.data<double>().ToArray();
        var expected = new double[point.Length];
        for (int n = 0; n < mass.Length; n++)
        {
            for (int d = 0; d < dims; d++)
            {
                int at = (n * dims + d) * width;
                var g = rule(point[(d * width)..((d + 1) * width)], values[at..(at + width)], gradients[at..(at + width)]);
                for (int k = 0; k < width; k++) expected[d * width + k] += mass[n] * g[k];
            }
        }
        return expected;
    }

    /// <summary>grad_z f at each row of <paramref name="samples"/> (rows are independent): same shape as the samples.</summary>
    public static Tensor SampleGradients(LatentFamily family, IObjective objective, Tensor samples)
    {
        var leaf = samples.detach().clone().requires_grad_(true);
        return autograd.grad([objective.Evaluate(family, leaf).sum()], [leaf])[0];
    }

    private static double[] OneHot(List<double> classIndices, int classes)
    {
        var result = new double[classIndices.Count * classes];
        for (int i = 0; i < classIndices.Count; i++) result[i * classes + (int)classIndices[i]] = 1;
        return result;
    }

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    private static double[] Softmax(ReadOnlySpan<double> logits)
    {
        double max = double.NegativeInfinity;
        foreach (double x in logits) max = Math.Max(max, x);
        var exp = new double[logits.Length];
        for (int k = 0; k < logits.Length; k++) exp[k] = Math.Exp(logits[k] - max);
        double total = exp.Sum();
        return [.. exp.Select(e => e / total)];
    }

    private static (double, double)[] PoissonMasses(double rate)
    {
        var masses = new List<(double, double)>();
        double mass = Math.Exp(-rate), covered = 0;
        for (int k = 0; covered < 1 - 1e-13 || k <= rate; k++)
        {
            masses.Add((k, mass));
            covered += mass;
            mass *= rate / (k + 1);
        }
        return [.. masses];
    }
}

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

    /// <summary>E[grad_z f(z)] at exact samples, by enumeration: [dims(, K)] flattened.</summary>
    public static double[] ExpectedSampleGradient(LatentFamily family, IObjective objective, double[] point, int dims, int classes)
    {
        var (states, probabilities) = States(family, point, dims, classes);
        states.requires_grad_(true);
        var gradient = autograd.grad([(objective.Evaluate(family, states) * probabilities).sum()], [states])[0];
        return gradient.sum([0]).flatten().data<double>().ToArray();
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

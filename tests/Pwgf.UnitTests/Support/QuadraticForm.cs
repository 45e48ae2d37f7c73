using Pwgf.Estimators.Families;
using Pwgf.Estimators.Objectives;
using static TorchSharp.torch;

namespace Pwgf.UnitTests.Support;

/// <summary>
/// A quadratic objective written out as f(x) = c + b.x + x^T H x / 2 over its flattened input (dims, or dims x K),
/// read off from evaluations at 0, e_i, 2 e_i and e_i + e_j (exact for a quadratic), and checked at other points.
/// Its expectation over independent relaxed coordinates needs only each coordinate's mean and second moment, which is
/// how the relaxations' references avoid integrating over every coordinate's noise at once.
/// </summary>
public sealed class QuadraticForm
{
    private readonly double _constant;
    private readonly double[] _linear;
    private readonly double[,] _hessian;

    private QuadraticForm(double constant, double[] linear, double[,] hessian)
    {
        _constant = constant;
        _linear = linear;
        _hessian = hessian;
    }

    /// <summary>Reads f off; throws when f is not quadratic in its input.</summary>
    public static QuadraticForm Of(IObjective objective, LatentFamily family, long[] shape)
    {
        int size = (int)shape.Aggregate(1L, (a, b) => a * b);
        var points = new List<double[]> { new double[size] };
        for (int i = 0; i < size; i++) points.Add(Unit(size, i, 1));
        for (int i = 0; i < size; i++) points.Add(Unit(size, i, 2));
        for (int i = 0; i < size; i++)
            for (int j = i + 1; j < size; j++)
            {
                var p = Unit(size, i, 1);
                p[j] = 1;
                points.Add(p);
            }
        var values = Evaluate(objective, family, shape, points);

        double constant = values[0];
        var hessian = new double[size, size];
        var linear = new double[size];
        for (int i = 0; i < size; i++)
        {
            hessian[i, i] = values[1 + size + i] - 2 * values[1 + i] + constant;
            linear[i] = values[1 + i] - constant - hessian[i, i] / 2;
        }
        for (int i = 0, row = 1 + 2 * size; i < size; i++)
            for (int j = i + 1; j < size; j++, row++)
            {
                hessian[i, j] = hessian[j, i] = values[row] - values[1 + i] - values[1 + j] + constant;
            }
        var form = new QuadraticForm(constant, linear, hessian);

        var random = new Random(17);
        var probes = Enumerable.Range(0, 4).Select(_ => Enumerable.Range(0, size).Select(_ => random.NextDouble() * 4 - 1).ToArray()).ToList();
        var actual = Evaluate(objective, family, shape, probes);
        for (int k = 0; k < probes.Count; k++)
        {
            double predicted = form.Value(probes[k]);
            if (Math.Abs(predicted - actual[k]) > 1e-9 * (1 + Math.Abs(actual[k])))
                throw new ArgumentException("The objective is not quadratic in its input.", nameof(objective));
        }
        return form;
    }

    /// <summary>
    /// E f over independent blocks of the input (a coordinate's value, or its K relaxed class weights), given each
    /// block's mean [block] and second moment [block, block] as tensors that may carry gradient.
    /// </summary>
    public Tensor Expectation(IReadOnlyList<(int Offset, Tensor Mean, Tensor SecondMoment)> blocks)
    {
        var mean = cat([.. blocks.Select(b => b.Mean)], 0);                                          // [size]
        var hessian = tensor(_hessian, dtype: float64);
        var linear = tensor(_linear, dtype: float64);
        // x^T H x averaged: cross-block terms use the product of means, within-block terms the second moment.
        var value = _constant + (linear * mean).sum() + mean.matmul(hessian).matmul(mean) / 2;
        foreach (var (offset, blockMean, second) in blocks)
        {
            long n = blockMean.shape[0];
            var h = hessian[TensorIndex.Slice(offset, offset + n), TensorIndex.Slice(offset, offset + n)];
            value = value + ((second - blockMean.outer(blockMean)) * h).sum() / 2;
        }
        return value;
    }

    private double Value(double[] x)
    {
        double value = _constant;
        for (int i = 0; i < x.Length; i++)
        {
            value += _linear[i] * x[i];
            for (int j = 0; j < x.Length; j++) value += x[i] * _hessian[i, j] * x[j] / 2;
        }
        return value;
    }

    private static double[] Unit(int size, int i, double value)
    {
        var p = new double[size];
        p[i] = value;
        return p;
    }

    private static double[] Evaluate(IObjective objective, LatentFamily family, long[] shape, List<double[]> points)
    {
        using var scope = NewDisposeScope();
        var batch = tensor(points.SelectMany(p => p).ToArray(), dtype: float64).reshape([points.Count, .. shape]);
        return objective.Evaluate(family, batch).data<double>().ToArray();
    }
}

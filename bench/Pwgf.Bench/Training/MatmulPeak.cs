using System.Diagnostics;
using static TorchSharp.torch;

namespace Pwgf.Bench.Training;

/// <summary>What the machine's matrix multiply achieves: the ceiling a training step's GFLOP/s is compared with.</summary>
public static class MatmulPeak
{
    /// <summary>GFLOP/s of an n x n float32 matrix product, the median of several after a warm-up.</summary>
    public static double Measure(int n = 2048, int repetitions = 7)
    {
        using var a = rand(n, n);
        using var b = rand(n, n);
        for (int i = 0; i < 2; i++) matmul(a, b).Dispose();
        var rates = new List<double>();
        for (int i = 0; i < repetitions; i++)
        {
            var clock = Stopwatch.StartNew();
            matmul(a, b).Dispose();
            rates.Add(2.0 * n * n * n / clock.Elapsed.TotalSeconds / 1e9);
        }
        return Statistics.Median(rates);
    }
}

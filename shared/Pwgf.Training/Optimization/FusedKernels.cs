using System.Numerics;
using System.Runtime.InteropServices;

namespace Pwgf.Training.Optimization;

/// <summary>
/// Element-wise updates done in one pass over memory with SIMD, where libtorch would run one kernel per
/// arithmetic operation (Adam is eight of them: each reads and writes the whole parameter). At the batch sizes of
/// the field's benchmarks, those passes over every weight cost as much as the model's matrix products.
/// Every element is computed independently and in the same order of operations whatever the vector width, so the
/// result does not depend on the machine's SIMD support beyond floating-point rounding of fused operations, which
/// .NET does not introduce implicitly.
/// </summary>
internal static class FusedKernels
{
    /// <summary>
    /// One Adam step (Kingma and Ba; PyTorch's formulation, eps added after the bias-corrected square root):
    /// m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2; p -= stepSize m / (sqrt(v) / rootCorrection2 + eps),
    /// where stepSize = lr / (1 - b1^t) and rootCorrection2 = sqrt(1 - b2^t).
    /// </summary>
    public static void Adam<T>(Span<T> parameter, ReadOnlySpan<T> gradient, Span<T> first, Span<T> second,
        double beta1, double beta2, double stepSize, double rootCorrection2, double epsilon)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = parameter.Length;
        if (gradient.Length != n || first.Length != n || second.Length != n)
        {
            throw new ArgumentException("Parameter, gradient and moments must have the same number of elements.");
        }
        T b1 = T.CreateChecked(beta1), c1 = T.CreateChecked(1 - beta1);
        T b2 = T.CreateChecked(beta2), c2 = T.CreateChecked(1 - beta2);
        T step = T.CreateChecked(stepSize), inverseRoot = T.CreateChecked(1 / rootCorrection2), eps = T.CreateChecked(epsilon);

        ref T p = ref MemoryMarshal.GetReference(parameter);
        ref T g = ref MemoryMarshal.GetReference(gradient);
        ref T m = ref MemoryMarshal.GetReference(first);
        ref T v = ref MemoryMarshal.GetReference(second);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vb1 = new Vector<T>(b1); var vc1 = new Vector<T>(c1);
            var vb2 = new Vector<T>(b2); var vc2 = new Vector<T>(c2);
            var vstep = new Vector<T>(step); var vinverse = new Vector<T>(inverseRoot); var veps = new Vector<T>(eps);
            for (; i <= n - Vector<T>.Count; i += Vector<T>.Count)
            {
                nuint at = (nuint)i;
                var gi = Vector.LoadUnsafe(ref g, at);
                var mi = Vector.LoadUnsafe(ref m, at) * vb1 + gi * vc1;
                var vi = Vector.LoadUnsafe(ref v, at) * vb2 + gi * gi * vc2;
                var denominator = Vector.SquareRoot(vi) * vinverse + veps;
                var pi = Vector.LoadUnsafe(ref p, at) - vstep * (mi / denominator);
                mi.StoreUnsafe(ref m, at);
                vi.StoreUnsafe(ref v, at);
                pi.StoreUnsafe(ref p, at);
            }
        }
        for (; i < n; i++)
        {
            T gi = gradient[i];
            T mi = first[i] * b1 + gi * c1;
            T vi = second[i] * b2 + gi * gi * c2;
            first[i] = mi;
            second[i] = vi;
            parameter[i] -= step * (mi / (T.Sqrt(vi) * inverseRoot + eps));
        }
    }

    /// <summary>Exponential moving averages of g and g^2: m += w (g - m); s += w (g^2 - s), with w = 1 - decay.</summary>
    public static void Moments<T>(ReadOnlySpan<T> gradient, Span<T> first, Span<T> second, double weight)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = gradient.Length;
        if (first.Length != n || second.Length != n)
        {
            throw new ArgumentException("Gradient and moments must have the same number of elements.");
        }
        T w = T.CreateChecked(weight);
        ref T g = ref MemoryMarshal.GetReference(gradient);
        ref T m = ref MemoryMarshal.GetReference(first);
        ref T s = ref MemoryMarshal.GetReference(second);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vw = new Vector<T>(w);
            for (; i <= n - Vector<T>.Count; i += Vector<T>.Count)
            {
                nuint at = (nuint)i;
                var gi = Vector.LoadUnsafe(ref g, at);
                var mi = Vector.LoadUnsafe(ref m, at);
                var si = Vector.LoadUnsafe(ref s, at);
                (mi + vw * (gi - mi)).StoreUnsafe(ref m, at);
                (si + vw * (gi * gi - si)).StoreUnsafe(ref s, at);
            }
        }
        for (; i < n; i++)
        {
            T gi = gradient[i];
            first[i] += w * (gi - first[i]);
            second[i] += w * (gi * gi - second[i]);
        }
    }
}

using System.Numerics;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Pwgf.Training.Optimization;

/// <summary>
/// Direct access to a tensor's elements where that is possible: a contiguous tensor on the CPU whose element type
/// is T. The span is a view of libtorch's own buffer (no copy), valid while the tensor is alive and not resized.
/// </summary>
internal static class HostMemory
{
    public static bool TryGetSpan<T>(Tensor? tensor, out Span<T> span) where T : unmanaged, IFloatingPointIeee754<T>
    {
        span = default;
        if (tensor is null || tensor.device_type != DeviceType.CPU || tensor.dtype != ScalarTypeOf<T>() || !tensor.is_contiguous())
        {
            return false;
        }
        span = MemoryMarshal.Cast<byte, T>(tensor.bytes);
        return true;
    }

    private static ScalarType ScalarTypeOf<T>() =>
        typeof(T) == typeof(float) ? ScalarType.Float32
        : typeof(T) == typeof(double) ? ScalarType.Float64
        : throw new NotSupportedException($"No tensor element type for {typeof(T).Name}.");
}

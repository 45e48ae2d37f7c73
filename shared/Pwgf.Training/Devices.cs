using static TorchSharp.torch;

namespace Pwgf.Training;

/// <summary>Picks where training runs: CUDA when a CUDA libtorch and a GPU are present, else the CPU.</summary>
public static class Devices
{
    public static Device Best() => cuda.is_available() ? CUDA : CPU;
}

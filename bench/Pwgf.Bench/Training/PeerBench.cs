using System.Diagnostics;
using System.Text.Json;

namespace Pwgf.Bench.Training;

/// <summary>Runs bench/peers/pytorch_vae.py, the same training step in PyTorch eager, and reads its steps per second.</summary>
public static class PeerBench
{
    public sealed record Result(double StepsPerSecond, int Threads, string Version);

    /// <summary>
    /// OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are removed for the peer alone: some machines set them to work around
    /// old OpenBLAS builds, and they slow a current one (see the environment notes).
    /// </summary>
    public static Result? Run(string python, string script, string architecture, string estimator, int threads, int windows, int window)
    {
        var start = new ProcessStartInfo(python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { script, "--architecture", architecture, "--estimator", estimator,
                     "--threads", threads.ToString(), "--windows", windows.ToString(), "--window", window.ToString() })
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment.Remove("OPENBLAS_CORETYPE");
        start.Environment.Remove("OPENBLAS_L2_SIZE");
        start.Environment["OMP_NUM_THREADS"] = threads.ToString();

        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            Console.Error.WriteLine($"  pytorch peer failed ({process.ExitCode}): {error.Trim()}");
            return null;
        }
        using var json = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
        var root = json.RootElement;
        return new Result(root.GetProperty("steps_per_second").GetDouble(), root.GetProperty("threads").GetInt32(), root.GetProperty("torch").GetString() ?? "?");
    }
}

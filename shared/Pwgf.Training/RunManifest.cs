using System.Reflection;
using System.Runtime.InteropServices;
using TorchSharp;

namespace Pwgf.Training;

/// <summary>
/// Where and with what one execution of a run trained: the configuration hash and seed say what was asked for, the
/// rest says which build, libraries and machine did it. Two runs with equal hashes whose numbers differ can be told
/// apart by comparing their manifests.
/// </summary>
/// <param name="ConfigHash">The run's configuration hash.</param>
/// <param name="Seed">The run's seed.</param>
/// <param name="Commit">Git commit the worker was built from (40 hex digits), or "unknown" for a build outside git.</param>
/// <param name="TorchSharpVersion">Version of the managed TorchSharp package.</param>
/// <param name="LibtorchVersion">libtorch version that TorchSharp binds to.</param>
/// <param name="Device">"cpu" or "cuda".</param>
/// <param name="TorchThreads">libtorch's intra-op thread count when the execution started.</param>
/// <param name="Worker">The worker process (its lease name).</param>
/// <param name="RuntimeVersion">The .NET runtime, e.g. ".NET 10.0.0".</param>
/// <param name="OsDescription">The operating system as the runtime reports it.</param>
/// <param name="ThreadsChangedAfterStep">
/// The first step after which the worker changed the thread count (another worker started or stopped on the
/// machine); null while it held. Numbers are bit-reproducible only for one thread count: a worker with
/// Worker__TorchThreads set never changes it.
/// </param>
public sealed record RunManifest(
    string ConfigHash,
    long Seed,
    string Commit,
    string TorchSharpVersion,
    string LibtorchVersion,
    string Device,
    int TorchThreads,
    string Worker,
    string RuntimeVersion,
    string OsDescription,
    int? ThreadsChangedAfterStep = null)
{
    public const string UnknownCommit = "unknown";

    /// <summary>The manifest of a run about to train in this process, built by <paramref name="build"/>.</summary>
    public static RunManifest Capture(string configHash, long seed, string device, string worker, Assembly build) => new(
        configHash,
        seed,
        CommitOf(build),
        PackageVersionOf(typeof(torch).Assembly),
        torch.__version__,
        device,
        torch.get_num_threads(),
        worker,
        RuntimeInformation.FrameworkDescription,
        RuntimeInformation.OSDescription);

    /// <summary>
    /// The commit an assembly was built from. The SDK appends "+" and the commit to the informational version when it
    /// builds inside a git checkout (worktrees included); elsewhere there is nothing to read.
    /// </summary>
    public static string CommitOf(Assembly assembly) =>
        CommitOf(assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion);

    /// <summary>The commit in an informational version such as "1.0.0+3f2c...", or "unknown".</summary>
    public static string CommitOf(string? informationalVersion)
    {
        int plus = informationalVersion?.IndexOf('+', StringComparison.Ordinal) ?? -1;
        if (informationalVersion is null || plus < 0) return UnknownCommit;
        string commit = informationalVersion[(plus + 1)..];
        return commit.Length == 40 && commit.All(char.IsAsciiHexDigit) ? commit.ToLowerInvariant() : UnknownCommit;
    }

    /// <summary>A library's package version, without any commit its own build appended.</summary>
    private static string PackageVersionOf(Assembly assembly)
    {
        string version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString()
            ?? "unknown";
        int plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }
}

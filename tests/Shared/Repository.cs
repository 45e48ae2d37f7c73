namespace Pwgf.Testing;

/// <summary>Where the repository and the built programs are, for tests that start real processes.</summary>
public static class Repository
{
    public static string Root { get; } = Environment.GetEnvironmentVariable("PWGF_ROOT") is { Length: > 0 } root
        ? root
        : FindRoot(AppContext.BaseDirectory);

    /// <summary>The configuration these tests were built in (Release under ./pwgf test).</summary>
    public static string Configuration { get; } = Environment.GetEnvironmentVariable("PWGF_CONFIGURATION") is { Length: > 0 } configuration
        ? configuration
        : new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;

    public static string Program(string folder, string project) =>
        Path.Combine(Root, folder, project, "bin", Configuration, "net10.0", project + ".dll");

    private static string FindRoot(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "PwgfService.sln"))) return directory.FullName;
        }
        throw new InvalidOperationException("Cannot find PwgfService.sln above the test output.");
    }
}

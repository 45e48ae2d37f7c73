namespace Pwgf.LocalStack;

/// <summary>Where the built migrator, API and worker are.</summary>
public sealed record ServicePrograms(string Migrator, string Api, string Worker)
{
    public const string TargetFramework = "net10.0";

    /// <summary>The programs as the solution builds them under <paramref name="root"/> in <paramref name="configuration"/>.</summary>
    public static ServicePrograms InSourceTree(string root, string configuration = "Release") => new(
        Program(root, "migrations", "Pwgf.Migrator", configuration),
        Program(root, "api", "Pwgf.Api", configuration),
        Program(root, "worker", "Pwgf.Worker", configuration));

    public static string Program(string root, string folder, string project, string configuration) =>
        Path.Combine(root, folder, project, "bin", configuration, TargetFramework, project + ".dll");

    /// <summary>$PWGF_ROOT, else the first folder above <paramref name="start"/> that holds PwgfService.sln.</summary>
    public static string FindSourceTree(string start)
    {
        if (Environment.GetEnvironmentVariable("PWGF_ROOT") is { Length: > 0 } root) return root;
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "PwgfService.sln"))) return directory.FullName;
        }
        throw new LocalStackException($"cannot find PwgfService.sln above {start} (set PWGF_ROOT)");
    }

    /// <summary>The build configuration a program in bin/CONFIGURATION/TFM/ was built in.</summary>
    public static string ConfigurationOf(string baseDirectory) =>
        new DirectoryInfo(Path.TrimEndingDirectorySeparator(baseDirectory)).Parent!.Name;
}

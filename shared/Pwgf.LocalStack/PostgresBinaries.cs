using System.Globalization;

namespace Pwgf.LocalStack;

/// <summary>The machine's PostgreSQL server programs (initdb, pg_ctl), found the way an operator would expect.</summary>
public sealed record PostgresBinaries(string Directory)
{
    public const string InstallHint =
        "apt-get install postgresql (or set PWGF_PG_BIN to a PostgreSQL bin directory, or ConnectionStrings__Pwgf to an existing database)";

    public string Initdb => Path.Combine(Directory, "initdb");
    public string PgCtl => Path.Combine(Directory, "pg_ctl");

    /// <summary>$PWGF_PG_BIN, else the newest /usr/lib/postgresql/*/bin with initdb, else initdb's directory on PATH.</summary>
    public static PostgresBinaries? Find()
    {
        if (Environment.GetEnvironmentVariable("PWGF_PG_BIN") is { Length: > 0 } given)
        {
            return File.Exists(Path.Combine(given, "initdb")) ? new PostgresBinaries(given) : null;
        }
        const string debian = "/usr/lib/postgresql";
        if (System.IO.Directory.Exists(debian))
        {
            var newest = System.IO.Directory.EnumerateDirectories(debian)
                .Select(version => (Version: MajorVersion(Path.GetFileName(version)), Bin: Path.Combine(version, "bin")))
                .Where(candidate => candidate.Version is not null && File.Exists(Path.Combine(candidate.Bin, "initdb")))
                .OrderByDescending(candidate => candidate.Version)
                .FirstOrDefault();
            if (newest.Bin is not null) return new PostgresBinaries(newest.Bin);
        }
        foreach (string directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            string initdb = Path.Combine(directory, "initdb");
            if (File.Exists(initdb)) return new PostgresBinaries(Path.GetDirectoryName(new FileInfo(initdb).ResolveLinkTarget(true)?.FullName ?? initdb)!);
        }
        return null;
    }

    /// <summary>The binaries, or an error that says how to install them.</summary>
    public static PostgresBinaries Require()
    {
        if (Find() is { } found) return found;
        string? given = Environment.GetEnvironmentVariable("PWGF_PG_BIN");
        throw new LocalStackException(string.IsNullOrEmpty(given)
            ? $"PostgreSQL server binaries (initdb, pg_ctl) not found: {InstallHint}"
            : $"PWGF_PG_BIN={given} does not contain initdb");
    }

    private static Version? MajorVersion(string name) =>
        Version.TryParse(name.Contains('.', StringComparison.Ordinal) ? name : name + ".0", out var version) ? version
        : int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out int major) ? new Version(major, 0) : null;
}

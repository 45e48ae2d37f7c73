using System.Globalization;

namespace Pwgf.Bench;

/// <summary>
/// What the reports say about the machine they ran on, read from /proc. Every reader degrades to "unknown" (or
/// null) elsewhere, so a report is still written on a system without /proc.
/// </summary>
public static class Machine
{
    public static string CpuModel() =>
        ProcField("/proc/cpuinfo", "model name") ?? "CPU model unknown";

    public static string Memory()
    {
        // MemTotal is given in KiB.
        string? total = ProcField("/proc/meminfo", "MemTotal")?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        return long.TryParse(total, NumberStyles.None, CultureInfo.InvariantCulture, out long kib)
            ? $"{kib / 1024.0 / 1024.0:F1} GiB memory"
            : "memory unknown";
    }

    /// <summary>The one-minute load average: other work on the machine while a bench runs shows up here.</summary>
    public static double? LoadAverage()
    {
        string? text = ReadOrNull("/proc/loadavg");
        string? first = text?.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return double.TryParse(first, NumberStyles.Float, CultureInfo.InvariantCulture, out double load) ? load : null;
    }

    /// <summary>Value of the first "key : value" line of a /proc file that starts with <paramref name="key"/>.</summary>
    private static string? ProcField(string path, string key)
    {
        string? text = ReadOrNull(path);
        string? line = text?.Split('\n').FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal));
        return line is null ? null : line[(line.IndexOf(':') + 1)..].Trim();
    }

    private static string? ReadOrNull(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}

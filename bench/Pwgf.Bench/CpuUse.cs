using System.Globalization;

namespace Pwgf.Bench;

/// <summary>
/// Cumulative CPU time at one moment, from /proc: the whole machine's (first line of /proc/stat) and every
/// process's (utime + stime of /proc/PID/stat, all threads), each process put in a group by what it runs. All in
/// clock ticks.
/// </summary>
public sealed record CpuSnapshot(long MachineBusy, long MachineTotal, IReadOnlyDictionary<int, (string Group, long Ticks)> Processes)
{
    public const string Api = "API";
    public const string Worker = "worker";
    public const string Postgres = "PostgreSQL";
    public const string Bench = "bench (pollers)";
    public const string Other = "other";

    /// <summary>The groups in report order. "other" holds everything else on the machine: kernel, shells, builds.</summary>
    public static readonly string[] Groups = [Api, Worker, Postgres, Bench, Other];

    /// <summary>Null where /proc/stat cannot be read (not Linux).</summary>
    public static CpuSnapshot? Take()
    {
        string? line = ReadOrNull("/proc/stat")?.Split('\n')[0];
        if (line is null || !line.StartsWith("cpu ", StringComparison.Ordinal)) return null;
        // user nice system idle iowait irq softirq steal; guest time is already counted in user.
        var ticks = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8)
            .Select(field => long.Parse(field, CultureInfo.InvariantCulture)).ToArray();
        if (ticks.Length < 5) return null;
        long total = ticks.Sum();

        var processes = new Dictionary<int, (string, long)>();
        foreach (string directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out int pid)) continue;
            if (ProcessTicks(pid) is { } process) processes[pid] = process;
        }
        return new CpuSnapshot(total - ticks[3] - ticks[4], total, processes);
    }

    /// <summary>Group and CPU ticks of one process; null when it has gone meanwhile.</summary>
    private static (string Group, long Ticks)? ProcessTicks(int pid)
    {
        string? stat = ReadOrNull($"/proc/{pid}/stat");
        if (stat is null) return null;
        // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ')'.
        int close = stat.LastIndexOf(')');
        string command = stat[(stat.IndexOf('(') + 1)..close];
        string[] fields = stat[(close + 2)..].Split(' ');
        // fields[0] is field 3 (state), so utime (field 14) and stime (field 15) are fields[11] and fields[12].
        long ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        string commandLine = ReadOrNull($"/proc/{pid}/cmdline")?.Replace('\0', ' ') ?? "";
        return (GroupOf(pid, command, commandLine), ticks);
    }

    private static string GroupOf(int pid, string command, string commandLine) =>
        pid == Environment.ProcessId ? Bench
        : commandLine.Contains("Pwgf.Api.dll", StringComparison.Ordinal) ? Api
        : commandLine.Contains("Pwgf.Worker.dll", StringComparison.Ordinal) ? Worker
        : command.StartsWith("postgres", StringComparison.Ordinal) ? Postgres
        : Other;

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

/// <summary>
/// CPU use between two snapshots: the share of the machine's CPU time that was busy, and the CPUs each group kept
/// busy on average (1.0 = one CPU all the time). A process that started in between counts from zero; one that
/// ended in between is lost, which only undercounts short-lived processes.
/// </summary>
public sealed record CpuUse(double BusyShare, IReadOnlyDictionary<string, double> CpusByGroup)
{
    public static CpuUse? Between(CpuSnapshot? start, CpuSnapshot? end)
    {
        if (start is null || end is null || end.MachineTotal <= start.MachineTotal) return null;
        // /proc/stat counts ticks on every CPU, so the ticks of one CPU over the interval are total / CPUs.
        double ticksPerCpu = (double)(end.MachineTotal - start.MachineTotal) / Environment.ProcessorCount;
        var cpus = CpuSnapshot.Groups.ToDictionary(group => group, _ => 0.0);
        foreach (var (pid, (group, ticks)) in end.Processes)
        {
            long before = start.Processes.TryGetValue(pid, out var earlier) ? earlier.Ticks : 0;
            cpus[group] += Math.Max(0, ticks - before) / ticksPerCpu;
        }
        return new CpuUse((double)(end.MachineBusy - start.MachineBusy) / (end.MachineTotal - start.MachineTotal), cpus);
    }
}

using System.Globalization;

namespace Pwgf.Launcher;

/// <summary>
/// .pwgf/run/NAME.pid of what `up` started, so that a second `up` refuses to start and `down` can stop it from
/// another terminal. A pid counts only while its process still runs a program of ours, so a recycled pid of an
/// unrelated process is never signalled.
/// </summary>
internal sealed class PidFiles(string directory)
{
    public const string Supervisor = "Pwgf.Launcher";
    public const string Program = "Pwgf.";

    public void Write(string name, int pid)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, name + ".pid"), pid.ToString(CultureInfo.InvariantCulture) + "\n");
    }

    /// <summary>Live processes recorded here (name, pid), without the supervisor; stale files are removed.</summary>
    public List<(string Name, int Pid)> Live()
    {
        var live = new List<(string, int)>();
        if (!Directory.Exists(directory)) return live;
        foreach (string file in Directory.EnumerateFiles(directory, "*.pid"))
        {
            string name = Path.GetFileNameWithoutExtension(file);
            if (Read(file) is { } pid && Runs(pid, name == "up" ? Supervisor : Program)) live.Add((name, pid));
            else File.Delete(file);
        }
        return live;
    }

    public void RefuseIfRunning()
    {
        foreach (var (name, pid) in Live())
        {
            throw new Pwgf.LocalStack.LocalStackException(name == "up"
                ? $"'./pwgf up' is already running (pid {pid}); stop it with './pwgf down'"
                : $"{name} from an earlier run is still running (pid {pid}); run './pwgf down' first");
        }
    }

    public void Clear()
    {
        if (!Directory.Exists(directory)) return;
        foreach (string file in Directory.EnumerateFiles(directory, "*.pid")) File.Delete(file);
    }

    private static int? Read(string file) =>
        int.TryParse(File.ReadAllText(file).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) ? pid : null;

    /// <summary>True when <paramref name="pid"/> is alive and its command line mentions <paramref name="program"/>.</summary>
    public static bool Runs(int pid, string program)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Contains(program, StringComparison.Ordinal);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}

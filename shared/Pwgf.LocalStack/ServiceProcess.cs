using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Pwgf.LocalStack;

/// <summary>
/// One of the service's programs (migrator, API, worker) running as a child process. Its output is kept in memory
/// (up to 200,000 characters), or, with a log file, written straight to that file by the child itself, so it
/// outlives this process. In a new session, a Ctrl-C typed in the terminal reaches only the supervisor, which then
/// stops its children in order.
/// </summary>
public sealed class ServiceProcess : IDisposable
{
    private const int KeptOutput = 200_000;

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private bool _disposed;

    private ServiceProcess(string name, Process process, string? logFile)
    {
        Name = name;
        _process = process;
        LogFile = logFile;
    }

    public string Name { get; }
    public string? LogFile { get; }
    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    /// <summary>What the program printed so far (the end of it).</summary>
    public string Output
    {
        get
        {
            if (LogFile is not null) return Tail(LogFile, KeptOutput);
            lock (_output) return _output.ToString();
        }
    }

    /// <summary>The last <paramref name="lines"/> lines of <see cref="Output"/>, for error messages.</summary>
    public string OutputTail(int lines = 40) => string.Join('\n', Output.Split('\n').TakeLast(lines));

    /// <summary>Runs <c>dotnet DLL ARGS</c> from the DLL's folder with <paramref name="environment"/> added to this process's.</summary>
    public static ServiceProcess StartDotnet(string name, string dll, IReadOnlyDictionary<string, string> environment,
        IReadOnlyList<string>? arguments = null, string? logFile = null, bool newSession = false)
    {
        if (!File.Exists(dll)) throw new LocalStackException($"{dll} is missing: build the solution first");
        return Start(name, "dotnet", [dll, .. arguments ?? []], Path.GetDirectoryName(dll)!, environment, logFile, newSession);
    }

    /// <summary>
    /// A program that shares this process's terminal: its output goes where ours goes, and a Ctrl-C typed there
    /// reaches it too (`./pwgf worker`, `dotnet test`). <see cref="Output"/> stays empty.
    /// </summary>
    public static ServiceProcess StartAttached(string name, string program, IReadOnlyList<string> arguments, string workingDirectory,
        IReadOnlyDictionary<string, string> environment) =>
        Start(name, program, arguments, workingDirectory, environment, logFile: null, newSession: false, attached: true);

    public static ServiceProcess Start(string name, string program, IReadOnlyList<string> arguments, string workingDirectory,
        IReadOnlyDictionary<string, string> environment, string? logFile = null, bool newSession = false, bool attached = false)
    {
        var command = new List<string>();
        if (newSession) command.Add("setsid");
        if (logFile is not null)
        {
            // The shell replaces itself with the program, so the pid is the program's and the file is its own output.
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(logFile))!);
            File.WriteAllText(logFile, "");
            command.AddRange(["sh", "-c", "log=$1; shift; exec \"$@\" >>\"$log\" 2>&1", "sh", logFile]);
        }
        command.Add(program);
        command.AddRange(arguments);

        bool capture = logFile is null && !attached;
        var info = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = capture,
            RedirectStandardError = capture,
            RedirectStandardInput = !attached,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (string argument in command.Skip(1)) info.ArgumentList.Add(argument);
        info.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in environment) info.Environment[key] = value;

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var service = new ServiceProcess(name, process, logFile);
        if (capture)
        {
            process.OutputDataReceived += (_, line) => service.Append(line.Data);
            process.ErrorDataReceived += (_, line) => service.Append(line.Data);
        }
        process.Start();
        if (!attached) process.StandardInput.Close();
        if (capture)
        {
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }
        return service;
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancellation.Token);
        return _process.ExitCode;
    }

    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    /// <summary>SIGTERM, as docker stop or Ctrl-C would send it; SIGKILL if the program is still there after <paramref name="grace"/>.</summary>
    public async Task TerminateAsync(TimeSpan grace)
    {
        if (_process.HasExited) return;
        await Signal(_process.Id, "TERM");
        try
        {
            await WaitForExitAsync(grace);
        }
        catch (OperationCanceledException)
        {
            Kill();
        }
    }

    /// <summary>SIGKILL: the program gets no chance to tidy up, as in a crash.</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    /// <summary>Sends a signal by name (TERM, INT, KILL) to any process.</summary>
    public static async Task Signal(int pid, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", [$"-{signal}", pid.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        await kill.WaitForExitAsync();
    }

    /// <summary>The last <paramref name="characters"/> characters of a file, empty when it does not exist.</summary>
    public static string Tail(string file, int characters)
    {
        if (!File.Exists(file)) return "";
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        if (stream.Length > characters) stream.Seek(-characters, SeekOrigin.End);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Kill();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output)
        {
            if (_output.Length < KeptOutput) _output.AppendLine(line);
        }
    }
}

using System.Diagnostics;
using System.Text;

namespace Pwgf.IntegrationTests.Support;

/// <summary>One of the service's programs (migrator, API, worker) running as a real child process.</summary>
public sealed class ServiceProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServiceProcess(Process process)
    {
        _process = process;
    }

    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    public static ServiceProcess Start(string dll, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        if (!File.Exists(dll)) throw new FileNotFoundException($"Build the solution first ({dll} is missing).", dll);
        return Launch("dotnet", [dll, .. arguments], Path.GetDirectoryName(dll)!, environment);
    }

    /// <summary>A command of the repository's ./pwgf script, as an operator would run it.</summary>
    public static ServiceProcess Script(IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        Launch("bash", [Path.Combine(Repository.Root, "pwgf"), .. arguments], Repository.Root, environment);

    private static ServiceProcess Launch(string program, string[] arguments, string directory, IReadOnlyDictionary<string, string> environment)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        foreach (string argument in arguments) info.ArgumentList.Add(argument);
        foreach (var (key, value) in environment) info.Environment[key] = value;
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var service = new ServiceProcess(process);
        process.OutputDataReceived += (_, line) => service.Append(line.Data);
        process.ErrorDataReceived += (_, line) => service.Append(line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancellation.Token);
        return _process.ExitCode;
    }

    /// <summary>SIGTERM, as `docker stop` or Ctrl-C would send it; waits for the process to end.</summary>
    public async Task TerminateAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }
        await WaitForExitAsync(timeout);
    }

    /// <summary>SIGKILL: the process gets no chance to tidy up, as in a crash.</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output)
        {
            if (_output.Length < 200_000) _output.AppendLine(line);
        }
    }
}

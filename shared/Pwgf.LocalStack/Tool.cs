using System.Diagnostics;

namespace Pwgf.LocalStack;

/// <summary>A short-lived program run to completion (initdb, pg_ctl, chown), with its output collected.</summary>
public static class Tool
{
    public sealed record Result(int ExitCode, string Output)
    {
        public bool Succeeded => ExitCode == 0;
    }

    public static async Task<Result> RunAsync(string program, IEnumerable<string> arguments, string workingDirectory = "/",
        CancellationToken cancellationToken = default)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (string argument in arguments) info.ArgumentList.Add(argument);
        using var process = Process.Start(info) ?? throw new LocalStackException($"could not start {program}");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return new Result(process.ExitCode, (await output) + (await error));
    }

    /// <summary>True when this process runs as root, where PostgreSQL's programs must run as another user.</summary>
    public static bool RunningAsRoot => Environment.IsPrivilegedProcess;
}

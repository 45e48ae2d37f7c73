using System.Runtime.InteropServices;
using Pwgf.LocalStack;

namespace Pwgf.Launcher;

/// <summary>
/// `./pwgf worker` and `./pwgf migrate`: one program in the foreground against the database of `up` (or
/// ConnectionStrings__Pwgf). It shares the terminal, so Ctrl-C reaches it directly; a SIGTERM sent to the launcher
/// is passed on. The exit code is the program's.
/// </summary>
internal static class ForegroundCommand
{
    public static async Task<int> RunAsync(Workspace workspace, string name, string dll, IReadOnlyList<string> arguments)
    {
        string connection = await workspace.ExistingDatabaseAsync();
        var environment = new Dictionary<string, string>(workspace.DatasetSettings()) { ["ConnectionStrings__Pwgf"] = connection };
        using var signals = new Signals();
        if (!File.Exists(dll)) throw new LocalStackException($"{dll} is missing: build the solution first");
        using var program = ServiceProcess.StartAttached(name, "dotnet", [dll, .. arguments], Path.GetDirectoryName(dll)!, environment);
        try
        {
            await program.WaitForExitAsync(signals.Stop);
        }
        catch (OperationCanceledException)
        {
            if (signals.Received == PosixSignal.SIGTERM) await ServiceProcess.Signal(program.Id, "TERM");
            await program.WaitForExitAsync(CancellationToken.None);
        }
        return program.ExitCode;
    }
}

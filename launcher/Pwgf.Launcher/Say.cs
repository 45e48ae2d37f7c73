using Spectre.Console;

namespace Pwgf.Launcher;

/// <summary>
/// Progress and errors, on stderr so that stdout stays machine-readable (`./pwgf pg url DIR` prints only the
/// connection string). In a terminal, waits show a spinner; elsewhere (CI logs, tests) one line each.
/// </summary>
internal static class Say
{
    private static readonly IAnsiConsole Error = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });

    public static void Info(string message) => Console.Error.WriteLine($"pwgf: {message}");

    public static void Warn(string message) => Console.Error.WriteLine($"pwgf: warning: {message}");

    public static void Fail(string message) => Console.Error.WriteLine($"pwgf: error: {message}");

    /// <summary>Runs <paramref name="work"/> while saying what it waits for.</summary>
    public static async Task<T> WhileAsync<T>(string what, Func<Task<T>> work)
    {
        if (!Error.Profile.Capabilities.Interactive)
        {
            Info(what);
            return await work();
        }
        return await Error.Status().Spinner(Spinner.Known.Dots).StartAsync(Markup.Escape(what), _ => work());
    }

    public static Task WhileAsync(string what, Func<Task> work) => WhileAsync(what, async () =>
    {
        await work();
        return true;
    });

    /// <summary>The last lines of a log, indented, after a failure.</summary>
    public static void Tail(string? file, int lines = 40)
    {
        if (file is null || !File.Exists(file)) return;
        Console.Error.WriteLine($"----- last {lines} lines of {file} -----");
        foreach (string line in File.ReadLines(file).TakeLast(lines)) Console.Error.WriteLine($"  | {line}");
        Console.Error.WriteLine("-----");
    }
}

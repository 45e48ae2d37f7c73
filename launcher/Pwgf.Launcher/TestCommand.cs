using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Pwgf.LocalStack;

namespace Pwgf.Launcher;

/// <summary>
/// `./pwgf test`: both test assemblies against a throwaway PostgreSQL cluster (fsync off: speed over durability),
/// deleted afterwards; `--fast` runs only the unit tests, with no database. Arguments go to `dotnet test`. The run
/// ends with one line of totals over every assembly.
/// </summary>
internal static partial class TestCommand
{
    private const string UnitTests = "tests/Pwgf.UnitTests/Pwgf.UnitTests.csproj";
    private const string BrowserTests = "FullyQualifiedName~Pwgf.IntegrationTests.Dashboard.DashboardBrowserTests";

    public static async Task<int> RunAsync(Workspace workspace, bool fast, IReadOnlyList<string> arguments)
    {
        string target = Path.Combine(workspace.Root, fast ? UnitTests : "PwgfService.sln");
        var environment = new Dictionary<string, string>(workspace.DatasetSettings())
        {
            ["PWGF_ROOT"] = workspace.Root,
            ["PWGF_CONFIGURATION"] = workspace.Configuration,
        };
        if (!environment.ContainsKey("Datasets__MnistDigitsDirectory") && Environment.GetEnvironmentVariable("Datasets__MnistDigitsDirectory") is null)
        {
            Say.Warn("the MNIST digits are not installed (./pwgf data); the dataset tests will say so");
        }
        if (fast) return await DotnetTestAsync(workspace, target, environment, arguments);

        var binaries = PostgresBinaries.Require();
        var cluster = new PostgresCluster(Directory.CreateTempSubdirectory("pwgf-test.").FullName, binaries);
        try
        {
            cluster.SetServerOptions(["fsync=off", "synchronous_commit=off", "full_page_writes=off"]);
            await Say.WhileAsync("starting a throwaway PostgreSQL cluster for the tests",
                () => cluster.StartAsync(firstPort: 56000 + Random.Shared.Next(1000)));
            environment["PWGF_TEST_CONNECTION"] = cluster.ConnectionString();
            environment["PWGF_TEST_PGDIR"] = cluster.Directory;
            environment["PWGF_PG_BIN"] = binaries.Directory;
            return await DotnetTestAsync(workspace, target, environment, arguments);
        }
        finally
        {
            await cluster.StopAsync();
            Directory.Delete(cluster.Directory, recursive: true);
        }
    }

    /// <summary>`./pwgf screenshots`: the browser tests, then their pictures copied over docs/screenshots.</summary>
    public static async Task<int> ScreenshotsAsync(Workspace workspace)
    {
        if (Directory.Exists(workspace.Screenshots)) Directory.Delete(workspace.Screenshots, recursive: true);
        int exit = await RunAsync(workspace, fast: false, ["--filter", BrowserTests]);
        if (exit != 0) return exit;
        string docs = Path.Combine(workspace.Root, "docs", "screenshots");
        Directory.CreateDirectory(docs);
        var pictures = Directory.GetFiles(workspace.Screenshots, "*.png");
        foreach (string picture in pictures) File.Copy(picture, Path.Combine(docs, Path.GetFileName(picture)), overwrite: true);
        Say.Info($"{pictures.Length} screenshots copied to {workspace.Pretty(docs)}");
        return pictures.Length > 0 ? 0 : 1;
    }

    private static async Task<int> DotnetTestAsync(Workspace workspace, string target, Dictionary<string, string> environment, IReadOnlyList<string> arguments)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workspace.Root,
        };
        foreach (string argument in (string[])["test", target, "-c", workspace.Configuration, "--no-build", "--logger", "console;verbosity=normal", .. arguments])
        {
            info.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in environment) info.Environment[key] = value;

        var totals = new Totals();
        using var signals = new Signals();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, line) => Echo(line.Data, Console.Out, totals);
        process.ErrorDataReceived += (_, line) => Echo(line.Data, Console.Error, totals);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(signals.Stop);
        }
        catch (OperationCanceledException)
        {
            // A Ctrl-C typed in the terminal reached `dotnet test` and its test hosts too, and they stop by themselves.
            // A SIGTERM reached only this process: `dotnet test` would leave its test hosts (and the programs they
            // started) running, so the whole tree goes.
            if (signals.Received == PosixSignal.SIGTERM) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }
        if (totals.Seen) Console.Out.WriteLine(totals);
        return signals.Received is null ? process.ExitCode : 130;
    }

    private static void Echo(string? line, TextWriter writer, Totals totals)
    {
        if (line is null) return;
        lock (totals)
        {
            writer.WriteLine(line);
            totals.Read(line);
        }
    }

    /// <summary>
    /// Sums the summaries `dotnet test` prints per assembly: the "Total tests:" block of the normal console
    /// verbosity, or the one-line "Passed! - Failed: 0, Passed: 5, Skipped: 0" form.
    /// </summary>
    private sealed partial class Totals
    {
        private int _passed, _failed, _skipped;
        private bool _inBlock;

        public bool Seen { get; private set; }

        public void Read(string line)
        {
            line = Escape().Replace(line, "");
            if (Block().IsMatch(line))
            {
                _inBlock = Seen = true;
                return;
            }
            if (_inBlock && Count().Match(line) is { Success: true } count)
            {
                int n = int.Parse(count.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
                switch (count.Groups[1].Value)
                {
                    case "Passed": _passed += n; break;
                    case "Failed": _failed += n; break;
                    default: _skipped += n; break;
                }
                return;
            }
            _inBlock = false;
            if (OneLine().Match(line) is { Success: true } summary)
            {
                Seen = true;
                _failed += int.Parse(summary.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                _passed += int.Parse(summary.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
                _skipped += int.Parse(summary.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        public override string ToString() => $"Tests: {_passed} passed, {_failed} failed, {_skipped} skipped";

        [GeneratedRegex(@"\x1b\[[0-9;]*m")]
        private static partial Regex Escape();

        [GeneratedRegex(@"^Total tests: *\d+")]
        private static partial Regex Block();

        [GeneratedRegex(@"^ *(Passed|Failed|Skipped): *(\d+) *$")]
        private static partial Regex Count();

        [GeneratedRegex(@"(?:Passed|Failed)! +- +Failed: *(\d+), *Passed: *(\d+), *Skipped: *(\d+)")]
        private static partial Regex OneLine();
    }
}

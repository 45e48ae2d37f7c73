using System.Globalization;

namespace Pwgf.Bench;

/// <summary>Options of the experiments bench; see Usage in Program.cs.</summary>
/// <param name="Url">Base address of the service; loopback only.</param>
/// <param name="Quick">The tiny budget that checks the machinery, instead of the full one.</param>
/// <param name="OutputDirectory">Gets results.md, and its plots in a results/ folder beside it.</param>
/// <param name="ApiKeyFile">Where `./pwgf up` keeps the key, read when $PWGF_API_KEY is not set.</param>
/// <param name="Workers">Worker processes of the stack (for the report; the script starts them).</param>
/// <param name="TorchThreads">libtorch intra-op threads per worker, 0 for libtorch's default (for the report).</param>
/// <param name="Commit">The commit the stack was built from (for the report).</param>
/// <param name="StartedAt">When the whole command started, build and start-up included; the deadline counts from here.</param>
/// <param name="Only">Tasks to keep from the plan; null keeps all.</param>
/// <param name="DeadlineAfter">Replaces the budget's own deadline (counted from <paramref name="StartedAt"/>); null keeps it.</param>
public sealed record ExperimentSettings(
    Uri Url,
    bool Quick,
    string OutputDirectory,
    string ApiKeyFile,
    int Workers,
    int TorchThreads,
    string Commit,
    DateTimeOffset StartedAt,
    IReadOnlySet<string>? Only,
    TimeSpan? DeadlineAfter = null)
{
    public const string ReportFile = "results.md";
    public const string PlotFolder = "results";

    public string ReportPath => Path.Combine(OutputDirectory, ReportFile);
    public string PlotDirectory => Path.Combine(OutputDirectory, PlotFolder);
    public DateTimeOffset Deadline => StartedAt + (DeadlineAfter ?? (Quick ? ExperimentBudget.QuickDeadline : ExperimentBudget.Deadline));

    public IReadOnlyList<ExperimentSpec> Plan =>
        [.. ExperimentBudget.Plan(Quick).Where(spec => Only is null || Only.Contains(spec.Task))];

    public static bool TryParse(string[] args, out ExperimentSettings settings, out string? problem)
    {
        settings = new ExperimentSettings(new Uri("http://127.0.0.1/"), Quick: false, OutputDirectory: "", ApiKeyFile: Path.Combine(".pwgf", "api-key"),
            Workers: 1, TorchThreads: 0, Commit: "unknown", StartedAt: DateTimeOffset.UtcNow, Only: null);
        problem = null;
        bool haveUrl = false;
        for (int i = 0; i < args.Length; i++)
        {
            string option = args[i];
            if (option == "--quick")
            {
                settings = settings with { Quick = true };
                continue;
            }
            if (i + 1 >= args.Length)
            {
                problem = $"'{option}' needs a value";
                return false;
            }
            string value = args[++i];
            switch (option)
            {
                case "--url" when ServiceCalls.LoopbackUrl(value) is { } url:
                    settings = settings with { Url = url };
                    haveUrl = true;
                    break;
                case "--output": settings = settings with { OutputDirectory = value }; break;
                case "--api-key-file": settings = settings with { ApiKeyFile = value }; break;
                case "--commit": settings = settings with { Commit = value }; break;
                case "--workers" when Number(value) is int workers and >= 1: settings = settings with { Workers = workers }; break;
                case "--torch-threads" when Number(value) is int threads and >= 0: settings = settings with { TorchThreads = threads }; break;
                case "--started" when long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long epoch):
                    settings = settings with { StartedAt = DateTimeOffset.FromUnixTimeSeconds(epoch) };
                    break;
                case "--deadline" when Number(value) is int minutes and >= 1:
                    settings = settings with { DeadlineAfter = TimeSpan.FromMinutes(minutes) };
                    break;
                case "--only":
                    settings = settings with { Only = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet() };
                    break;
                default:
                    problem = option == "--url"
                        ? $"--url must be an http address on this machine (127.0.0.1 or localhost), got '{value}'"
                        : $"unknown option or bad value: {option} {value}";
                    return false;
            }
        }
        if (!haveUrl) problem = "--url is required (the service's base address, e.g. http://127.0.0.1:5099)";
        else if (settings.OutputDirectory.Length == 0) problem = "--output DIR is required (results.md and results/*.png go there)";
        else if (settings.Plan.Count == 0) problem = $"--only keeps no comparison of the plan (tasks: {string.Join(", ", ExperimentBudget.Plan(false).Select(s => s.Task))})";
        return problem is null;
    }

    private static int? Number(string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int number) ? number : null;
}

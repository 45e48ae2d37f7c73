using System.Globalization;

namespace Pwgf.Bench;

/// <summary>Options of the pollers bench; see Usage in Program.cs.</summary>
/// <param name="Url">Base address of the service; loopback only.</param>
/// <param name="Pollers">Concurrent pollers in phase B.</param>
/// <param name="Seconds">Length of each phase.</param>
/// <param name="ApiKeyFile">Where `./pwgf up` keeps the key, read when $PWGF_API_KEY is not set.</param>
/// <param name="ApiLog">The API's log file, to report how much it logs under load; optional.</param>
/// <param name="Output">Markdown file to write the report to, besides stdout; optional.</param>
public sealed record PollerSettings(Uri Url, int Pollers, int Seconds, string ApiKeyFile, string? ApiLog, string? Output)
{
    public static bool TryParse(string[] args, out PollerSettings settings, out string? problem)
    {
        Uri? url = null;
        settings = new PollerSettings(new Uri("http://127.0.0.1/"), Pollers: 50, Seconds: 20, ApiKeyFile: Path.Combine(".pwgf", "api-key"), ApiLog: null, Output: null);
        problem = null;
        for (int i = 0; i < args.Length; i++)
        {
            string option = args[i];
            if (i + 1 >= args.Length)
            {
                problem = $"'{option}' needs a value";
                return false;
            }
            string value = args[++i];
            switch (option)
            {
                case "--url":
                    // Loopback only: this bench is meant to load the stack on this machine, never someone else's.
                    url = ServiceCalls.LoopbackUrl(value);
                    if (url is null)
                    {
                        problem = $"--url must be an http address on this machine (127.0.0.1 or localhost), got '{value}'";
                        return false;
                    }
                    settings = settings with { Url = url };
                    break;
                case "--output": settings = settings with { Output = value }; break;
                case "--api-key-file": settings = settings with { ApiKeyFile = value }; break;
                case "--api-log": settings = settings with { ApiLog = value }; break;
                case "--pollers" when Positive(value, 1000) is { } pollers: settings = settings with { Pollers = pollers }; break;
                case "--seconds" when Positive(value, 600) is { } seconds: settings = settings with { Seconds = seconds }; break;
                default:
                    problem = $"unknown option or value out of range: {option} {value}";
                    return false;
            }
        }
        if (url is null) problem = "--url is required (the service's base address, e.g. http://127.0.0.1:5099)";
        return problem is null;
    }

    private static int? Positive(string value, int max) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int number) && number >= 1 && number <= max ? number : null;
}

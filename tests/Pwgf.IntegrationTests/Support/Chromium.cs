using Microsoft.Playwright;

namespace Pwgf.IntegrationTests.Support;

/// <summary>
/// Debian's headless Chromium driven by Playwright. Playwright's own browser download cannot work on these offline
/// machines, so the browser is the system package (apt-get install chromium; .ci/run installs it). Every page it
/// opens records console errors and uncaught exceptions, so a test can insist there were none.
/// </summary>
public sealed class Chromium : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";
    private static readonly string[] Flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"];

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly List<string> _errors = [];

    private Chromium(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        _browser = browser;
    }

    public static async Task<Chromium> StartAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException(
                $"{ExecutablePath} is missing: apt-get install -y chromium chromium-driver (.ci/run installs them).");
        }
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = Flags,
        });
        return new Chromium(playwright, browser);
    }

    /// <summary>Console errors and uncaught exceptions of every page so far, each with the page's address.</summary>
    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_errors) return [.. _errors];
        }
    }

    public async Task<IPage> NewPageAsync(Uri baseAddress, int width, int height)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = "en-US", // numbers on the page read 4,000 whatever the machine's locale
            AcceptDownloads = true,
        });
        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Type == "error") Record($"console error on {page.Url}: {message.Text}");
        };
        page.PageError += (_, error) => Record($"uncaught exception on {page.Url}: {error}");
        return page;
    }

    private void Record(string error)
    {
        lock (_errors) _errors.Add(error);
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.CloseAsync();
        _playwright.Dispose();
    }
}

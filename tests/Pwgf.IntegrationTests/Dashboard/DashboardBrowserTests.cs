using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Pwgf.Api.Comparisons;
using Pwgf.Api.Series;
using Pwgf.Client;
using Pwgf.IntegrationTests.Support;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Pwgf.IntegrationTests.Dashboard;

/// <summary>
/// The dashboard in a real browser against the real service: a person submits a comparison through the form, watches
/// it train, exports its points, and runs a gradient audit. The screenshots land in .pwgf/screenshots (ignored by
/// git); `./pwgf screenshots` copies them over the README's pictures in docs/screenshots.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed partial class DashboardBrowserTests(ServiceFixture service, ITestOutputHelper output) : IAsyncLifetime
{
    private const int DesktopWidth = 1280, DesktopHeight = 800, PhoneWidth = 390, PhoneHeight = 844;
    private static readonly TimeSpan TrainingTimeout = TimeSpan.FromMinutes(4);
    private static readonly string[] ToyMetrics = ["loss", "parameter_mean", "grad_cosine", "grad_relative_bias", "grad_relative_bias_upper95", "grad_bias_pvalue", "grad_log_variance"];

    private Chromium _chromium = null!;

    public async Task InitializeAsync()
    {
        // Training and audits take seconds, more on a loaded CI machine; Playwright's default wait is 5 s.
        SetDefaultExpectTimeout(60_000);
        _chromium = await Chromium.StartAsync();
    }

    public async Task DisposeAsync() => await _chromium.DisposeAsync();

    [Fact]
    public async Task A_comparison_submitted_through_the_form_charts_live_reaches_succeeded_and_exports_every_point()
    {
        var page = await NewPageAsync(DesktopWidth, DesktopHeight);
        await page.GotoAsync("/");
        await AssertEveryFieldIsLabelledAsync(page, "home");

        // The key is typed once into its labelled field and kept by the browser.
        await page.Locator("#key-panel summary").ClickAsync();
        await page.GetByLabel("API key (sent as X-Api-Key)", new() { Exact = true }).FillAsync(service.AdminKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save key" }).ClickAsync();

        await page.GetByLabel("Task", new() { Exact = true }).SelectOptionAsync("poisson-toy");
        await page.GetByLabel("dims", new() { Exact = true }).FillAsync("3");
        await page.GetByLabel("target", new() { Exact = true }).FillAsync("3.4");
        await page.GetByLabel("batchSize", new() { Exact = true }).FillAsync("16");
        await page.GetByLabel("st", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("pwgf", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("Seeds", new() { Exact = true }).FillAsync("11, 12");
        await page.GetByLabel("Steps per run", new() { Exact = true }).FillAsync("1000");
        await page.GetByLabel("Record metrics every", new() { Exact = true }).FillAsync("10");
        await page.GetByLabel("Learning rate", new() { Exact = true }).FillAsync("0.03");
        await AssertEveryFieldIsLabelledAsync(page, "home with poisson-toy chosen");
        await page.GetByRole(AriaRole.Button, new() { Name = "Start comparison" }).ClickAsync();

        await page.WaitForURLAsync(ComparisonUrl());
        var id = Guid.Parse(ComparisonUrl().Match(page.Url).Groups[1].Value);

        // The loss chart gains points while the runs train: first some of them, later more, then all of them.
        const int AllLossPoints = 4 * 101; // steps 0, 10, ..., 1000 for every run
        int partial = await WaitForLossPointsAsync(page, "(n, all) => n > 0 && n < all", AllLossPoints);
        output.WriteLine($"the loss chart showed {partial} of {AllLossPoints} points while the runs trained");
        await WaitForLossPointsAsync(page, "(n, seen) => n > seen", partial);
        await Expect(page.Locator("#view")).ToHaveAttributeAsync("data-state", "complete",
            new() { Timeout = (float)TrainingTimeout.TotalMilliseconds });
        await Expect(page.Locator("table.runs tbody tr[data-run-status='Succeeded']")).ToHaveCountAsync(4);

        var comparison = await service.Api.GetComparisonAsync(id);
        var expected = await ExpectedRowsAsync(comparison);
        int lossPoints = expected.Count(row => row.Metric == "loss");
        Assert.Equal(AllLossPoints, lossPoints);
        await Expect(page.Locator("figure[data-metric='loss']")).ToHaveAttributeAsync("data-points", lossPoints.ToString(CultureInfo.InvariantCulture));
        await AssertChartsFollowTheMetricDefinitionsAsync(page, id);
        await Expect(page.Locator("table.summary tbody tr")).ToHaveCountAsync(2);
        // Ranks read as the groups the API's pairwise tests allow ("1–2, not resolved" rather than a strict order).
        foreach (var entry in comparison.Summary)
        {
            string group = entry.RankGroup!.Contains('-') ? $"{entry.RankGroup.Replace('-', '–')}, not resolved" : entry.RankGroup;
            var summaryRow = page.Locator("table.summary tbody tr")
                .Filter(new() { Has = page.GetByRole(AriaRole.Rowheader, new() { Name = entry.Estimator, Exact = true }) });
            await Expect(summaryRow.Locator("td.rank-group")).ToHaveTextAsync(group);
        }

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Export CSV" }).ClickAsync());
        var lines = (await File.ReadAllLinesAsync(await download.PathAsync())).Where(line => line.Length > 0).ToList();
        Assert.Equal("comparison_id,run_id,estimator,seed,metric,step,value", lines[0]);
        Assert.Equal(expected.Count, lines.Count - 1);
        var exported = lines.Skip(1).Select(line => line.Split(',')).ToList();
        for (int i = 0; i < expected.Count; i++)
        {
            var row = exported[i];
            Assert.Equal(id.ToString(), row[0]);
            Assert.Equal((expected[i].RunId.ToString(), expected[i].Estimator, expected[i].Seed.ToString(CultureInfo.InvariantCulture), expected[i].Metric),
                (row[1], row[2], row[3], row[4]));
            Assert.Equal(expected[i].Step, int.Parse(row[5], CultureInfo.InvariantCulture));
            Assert.Equal(expected[i].Value, double.Parse(row[6], CultureInfo.InvariantCulture));
        }

        await AssertFitsWidthAsync(page, "comparison at 1280x800");
        await SaveScreenshotAsync(page, "dashboard-comparison.png", fullPage: true);
        // The list shows the steps summed over the runs, as the API reports them.
        var listed = (await service.Api.ListComparisonsAsync(pageSize: 100))
            .Items.Single(item => item.Id == id);
        Assert.Equal((4000L, 4000L, 4), (listed.StepsDone, listed.StepsTotal, listed.FinishedRuns));
        await page.GotoAsync("/");
        var listRow = page.Locator("table.comparisons tbody tr").Filter(new() { Has = page.Locator($"a[href='/comparisons/{id}']") });
        await Expect(listRow).ToContainTextAsync("4,000 / 4,000 steps");
        await Expect(listRow).ToContainTextAsync("Succeeded");
        await AssertFitsWidthAsync(page, "home at 1280x800");
        await SaveScreenshotAsync(page, "dashboard-home.png", fullPage: false);

        var phone = await NewPageAsync(PhoneWidth, PhoneHeight);
        await phone.GotoAsync($"/comparisons/{id}");
        await Expect(phone.Locator("#view")).ToHaveAttributeAsync("data-state", "complete");
        await AssertFitsWidthAsync(phone, "comparison at phone width");
        await SaveScreenshotAsync(phone, "dashboard-comparison-phone.png", fullPage: false);
        await phone.GotoAsync("/");
        await Expect(phone.GetByRole(AriaRole.Button, new() { Name = "Start comparison" })).ToBeVisibleAsync();
        await AssertFitsWidthAsync(phone, "home at phone width");

        Assert.Empty(_chromium.Errors);
    }

    [Fact]
    public async Task A_gradient_audit_typed_into_the_diagnostics_page_draws_bias_and_variance_per_estimator()
    {
        var page = await NewPageAsync(DesktopWidth, DesktopHeight);
        // The key can also be there already from an earlier visit: it lives in the browser's localStorage.
        await page.GotoAsync("/");
        await page.EvaluateAsync("key => localStorage.setItem('pwgf.apiKey', key)", service.AdminKey);
        await page.GotoAsync("/diagnostics");
        await AssertEveryFieldIsLabelledAsync(page, "diagnostics");

        // The page's own example: one Poisson latent at log-rate 0.53, f(z) = (z - 2.3)^2.
        await page.GetByLabel("Distribution", new() { Exact = true }).SelectOptionAsync("poisson");
        await page.GetByLabel("Samples per estimator", new() { Exact = true }).FillAsync("20000");
        await page.GetByRole(AriaRole.Button, new() { Name = "Run audit" }).ClickAsync();

        // reinforce-loo, st, pwgf and exact-diff are ticked by default (catalogue order): one bar each on the single coordinate.
        await Expect(page.Locator("figure[data-metric='bias']")).ToHaveAttributeAsync("data-points", "4");
        await Expect(page.Locator("figure[data-metric='variance']")).ToHaveAttributeAsync("data-points", "4");
        var estimators = await page.Locator("section[aria-labelledby='audit-results-heading'] tbody th").AllTextContentsAsync();
        Assert.Equal(["reinforce-loo", "st", "pwgf", "exact-diff"], estimators);

        await AssertFitsWidthAsync(page, "diagnostics at 1280x800");
        await SaveScreenshotAsync(page, "dashboard-diagnostics.png", fullPage: true);
        await page.SetViewportSizeAsync(PhoneWidth, PhoneHeight);
        await AssertFitsWidthAsync(page, "diagnostics at phone width");

        Assert.Empty(_chromium.Errors);
    }

    [Fact]
    public async Task A_refused_submission_shows_each_problem_beside_the_field_it_names()
    {
        var page = await NewPageAsync(DesktopWidth, DesktopHeight);
        await page.GotoAsync("/");
        await page.EvaluateAsync("key => localStorage.setItem('pwgf.apiKey', key)", service.AdminKey);
        await page.ReloadAsync();
        await page.GetByLabel("Task", new() { Exact = true }).SelectOptionAsync("poisson-toy");

        // What the browser can tell by itself is refused before anything is sent.
        var seeds = page.GetByLabel("Seeds", new() { Exact = true });
        await seeds.FillAsync("1, two");
        await page.GetByRole(AriaRole.Button, new() { Name = "Start comparison" }).ClickAsync();
        await Expect(seeds).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(ErrorOf(page, seeds)).ToHaveTextAsync("Seeds are whole numbers separated by commas.");
        Assert.Empty(_chromium.Errors);

        // The rest is the service's 400 ValidationProblem, placed field by field.
        await seeds.FillAsync("1");
        var dims = page.GetByLabel("dims", new() { Exact = true });
        var steps = page.GetByLabel("Steps per run", new() { Exact = true });
        await dims.FillAsync("0");
        await steps.FillAsync("0");
        await page.GetByRole(AriaRole.Button, new() { Name = "Start comparison" }).ClickAsync();
        await Expect(steps).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(ErrorOf(page, steps)).ToContainTextAsync("Must be between 1 and");
        await Expect(dims).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(ErrorOf(page, dims)).ToContainTextAsync("dims");
        await Expect(seeds).Not.ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator(".form-errors")).ToContainTextAsync("The comparison is not valid.");
        Assert.EndsWith("/", page.Url);

        // Chromium reports the refused request itself on the console; nothing else may appear there.
        Assert.All(_chromium.Errors, error => Assert.Contains("status of 400", error));
    }

    /// <summary>
    /// The charts are the task's metric definitions (GET /api/v1/tasks), in their order, titled, scaled and explained by
    /// them, and they draw the service's bands: the log-scale variance chart's lines are 10^mean of the bands route.
    /// </summary>
    private async Task AssertChartsFollowTheMetricDefinitionsAsync(IPage page, Guid id)
    {
        using var client = new PwgfClient(service.Client);
        var definitions = (await client.ListTasksAsync()).Single(t => t.Name == "poisson-toy").MetricDefinitions;
        string[] charted = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('figure.chart')].map(f => f.dataset.metric)");
        Assert.Equal(definitions.Select(d => d.Name), charted);

        // Pinned from the metrics' meaning: grad_log_variance stores ln of a variance, loss is drawn as stored.
        var variance = definitions.Single(d => d.Name == "grad_log_variance");
        var loss = definitions.Single(d => d.Name == "loss");
        Assert.Equal(("naturalLog", "linear"), (variance.Scale, loss.Scale));
        foreach (var (definition, axisType) in new[] { (variance, "logarithmic"), (loss, "linear") })
        {
            var figure = page.Locator($"figure[data-metric='{definition.Name}']");
            await Expect(figure).ToBeVisibleAsync();
            await Expect(figure.Locator("h3")).ToContainTextAsync(definition.Title);
            await Expect(figure.Locator("h3")).ToHaveAttributeAsync("title", definition.Description);
            await Expect(figure.Locator(".hint")).ToHaveTextAsync(definition.Description);
            string[] axis = await figure.EvaluateAsync<string[]>(
                "f => { const y = Chart.getChart(f.querySelector('canvas')).options.scales.y; return [y.type, y.title.text]; }");
            Assert.Equal(axisType, axis[0]);
            Assert.StartsWith(definition.Title, axis[1]);
        }

        var bands = await client.GetComparisonBandsAsync(id, variance.Name, maxPoints: 500);
        Assert.Equal("log10", bands.Axis);
        double[] drawn = await page.Locator($"figure[data-metric='{variance.Name}']").EvaluateAsync<double[]>(
            "f => Chart.getChart(f.querySelector('canvas')).data.datasets[0].data.map(p => p.y)");
        double[] expected = [.. bands.Estimators[0].Points.Select(p => Math.Pow(10, p.Mean))];
        Assert.Equal(expected.Length, drawn.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - drawn[i]) <= 1e-12 * expected[i], $"point {i}: the chart drew {drawn[i]:R}, the bands say {expected[i]:R}");
        }
    }

    /// <summary>The error slot that a field's aria-describedby points to.</summary>
    private static ILocator ErrorOf(IPage page, ILocator control) =>
        page.Locator(".field").Filter(new() { Has = control }).Locator(".field-error");

    private async Task<IPage> NewPageAsync(int width, int height)
    {
        var page = await _chromium.NewPageAsync(service.BaseAddress, width, height);
        page.SetDefaultTimeout(60_000);
        return page;
    }

    /// <summary>
    /// Waits until the loss chart's point count n satisfies <paramref name="condition"/>, a JavaScript function of n
    /// and <paramref name="argument"/>; returns n.
    /// </summary>
    private static async Task<int> WaitForLossPointsAsync(IPage page, string condition, int argument)
    {
        var handle = await page.WaitForFunctionAsync(
            $$"""
            ([argument]) => {
                const n = Number(document.querySelector("figure[data-metric='loss']")?.dataset.points ?? 0);
                return ({{condition}})(n, argument) ? n : false;
            }
            """,
            new object[] { argument },
            new() { Timeout = (float)TrainingTimeout.TotalMilliseconds, PollingInterval = 100 });
        return await handle.JsonValueAsync<int>();
    }

    private sealed record MetricRow(Guid RunId, string Estimator, long Seed, string Metric, int Step, double Value);

    /// <summary>What the export must hold, read from the API: runs in page order, then metrics, then steps.</summary>
    private async Task<List<MetricRow>> ExpectedRowsAsync(ComparisonDetails comparison)
    {
        var rows = new List<MetricRow>();
        foreach (var run in comparison.Runs)
        {
            foreach (string metric in ToyMetrics)
            {
                var series = await service.Api.GetRunMetricsAsync(run.Id, metric);
                rows.AddRange(series.Points.Select(p => new MetricRow(run.Id, run.Estimator, run.Seed, metric, p.Step, p.Value)));
            }
        }
        return rows;
    }

    /// <summary>Every input, select and textarea, shown or not, has a label with text (or an ARIA name).</summary>
    private static async Task AssertEveryFieldIsLabelledAsync(IPage page, string what)
    {
        await Expect(page.Locator("form.comparison-form, form.audit-form")).ToBeVisibleAsync();
        string[] unlabelled = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('input, select, textarea')]
                .filter(e => e.type !== 'hidden')
                .filter(e => ![...e.labels].some(l => l.textContent.trim()) && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby'))
                .map(e => e.name || e.id || e.outerHTML.slice(0, 80))
            """);
        Assert.True(unlabelled.Length == 0, $"{what}: fields without a label: {string.Join(", ", unlabelled)}");
    }

    /// <summary>The page must not scroll sideways: nothing is wider than the viewport.</summary>
    private static async Task AssertFitsWidthAsync(IPage page, string what)
    {
        int[] widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
        Assert.True(widths[0] <= widths[1], $"{what}: the page is {widths[0]} px wide in a {widths[1]} px viewport.");
    }

    private static async Task SaveScreenshotAsync(IPage page, string name, bool fullPage)
    {
        string directory = Path.Combine(Repository.Root, ".pwgf", "screenshots");
        Directory.CreateDirectory(directory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, name), FullPage = fullPage });
    }

    [GeneratedRegex("/comparisons/([0-9a-f-]{36})$")]
    private static partial Regex ComparisonUrl();
}

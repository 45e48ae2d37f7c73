using System.Net;
using Pwgf.IntegrationTests.Support;

namespace Pwgf.IntegrationTests.Dashboard;

/// <summary>
/// The dashboard's routes sit beside the API without shadowing it: its pages and files are served, and every other
/// path keeps its own answer (the API's ProblemDetails 404 included).
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class DashboardRoutingTests(ServiceFixture service)
{
    [Theory]
    [InlineData("/")]
    [InlineData("/comparisons/01a2214a-ab0b-7dec-b5f0-2ba37c04c586")]
    [InlineData("/diagnostics")]
    public async Task Every_dashboard_page_serves_the_shell_with_a_content_security_policy(string path)
    {
        using var response = await service.Anonymous.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<main id=\"view\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        string policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_chart_library_installed_from_npm_is_served_by_the_api_itself()
    {
        using var response = await service.Anonymous.GetAsync("/vendor/chart.umd.min.js");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Chart.js v4.6.1", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/v1/no-such-resource")]
    [InlineData("/api/v1/comparisons/not-a-guid")]
    [InlineData("/comparisons/not-a-guid")]
    [InlineData("/no-such-page")]
    public async Task Other_paths_still_end_in_a_problem_details_404(string path)
    {
        using var response = await service.Anonymous.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Swagger_hangfire_health_and_metrics_keep_their_own_answers()
    {
        using var swagger = await service.Anonymous.GetAsync("/swagger/index.html");
        Assert.Equal(HttpStatusCode.OK, swagger.StatusCode);
        string document = await service.Anonymous.GetStringAsync("/swagger/v1/swagger.json");
        Assert.DoesNotContain("\"/diagnostics\"", document, StringComparison.Ordinal);
        Assert.DoesNotContain("\"/\":", document, StringComparison.Ordinal);

        using var jobs = await service.Anonymous.GetAsync("/hangfire");
        Assert.Equal(HttpStatusCode.Unauthorized, jobs.StatusCode);
        using var health = await service.Anonymous.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        using var metrics = await service.Anonymous.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
    }
}

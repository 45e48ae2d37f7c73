using Microsoft.AspNetCore.Http.HttpResults;

namespace Pwgf.Api.Dashboard;

/// <summary>
/// The browser dashboard: static files from wwwroot (the page shell, its scripts and the chart library copied from
/// npm at build time) and the page routes, which all return the same shell; its script picks the view from the path.
/// Only these routes serve the shell, so every other path, /api/... included, still ends in a ProblemDetails 404.
/// </summary>
public static class DashboardPages
{
    /// <summary>Deep links a browser may open directly.</summary>
    private static readonly string[] Pages = ["/", "/comparisons/{id:guid}", "/diagnostics"];

    // The scripts load only from this origin and call only this origin; nothing may frame the dashboard.
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static WebApplication UseDashboardFiles(this WebApplication app)
    {
        app.UseStaticFiles(new StaticFileOptions
        {
            // Revalidate every time (the ETag makes that a 304), so a redeployed dashboard never mixes old and new scripts.
            OnPrepareResponse = context => AddHeaders(context.Context.Response),
        });
        return app;
    }

    public static WebApplication MapDashboard(this WebApplication app)
    {
        foreach (string page in Pages)
        {
            app.MapMethods(page, [HttpMethods.Get, HttpMethods.Head], ServePage).ExcludeFromDescription();
        }
        return app;
    }

    private static PhysicalFileHttpResult ServePage(HttpContext context, IWebHostEnvironment environment)
    {
        AddHeaders(context.Response);
        context.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        context.Response.Headers["Referrer-Policy"] = "no-referrer";
        return TypedResults.PhysicalFile(Path.Combine(environment.WebRootPath, "index.html"), "text/html; charset=utf-8");
    }

    private static void AddHeaders(HttpResponse response)
    {
        response.Headers.CacheControl = "no-cache";
        response.Headers.XContentTypeOptions = "nosniff";
    }
}

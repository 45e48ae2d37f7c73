using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Pwgf.Infrastructure;
using Pwgf.Infrastructure.Entities;

namespace Pwgf.Api.Keys;

/// <summary>
/// Authenticates the X-Api-Key header against the stored key hashes. The Hangfire dashboard, which a browser opens,
/// may also carry the key as a cookie (set after one visit with ?api_key=...). No key means anonymous; a wrong or
/// revoked key means 401. Challenges and refusals are ProblemDetails like every other error.
/// </summary>
public sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    PwgfDbContext db,
    IProblemDetailsService problems) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string Header = "X-Api-Key";
    public const string DashboardCookie = "pwgf-api-key";
    public const string DashboardQuery = "api_key";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? secret = FindSecret();
        if (string.IsNullOrEmpty(secret)) return AuthenticateResult.NoResult();

        string hash = ApiKey.HashOf(secret);
        var key = await db.ApiKeys.AsNoTracking()
            .Where(k => k.Hash == hash && k.RevokedAt == null)
            .Select(k => new { k.Id, k.Name, k.Scopes })
            .SingleOrDefaultAsync(Context.RequestAborted);
        if (key is null) return AuthenticateResult.Fail("The API key is not valid.");

        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, key.Id.ToString()), new(ClaimTypes.Name, key.Name) };
        claims.AddRange(key.Scopes.Select(scope => new Claim(Scopes.ClaimType, scope)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        WriteProblemAsync(StatusCodes.Status401Unauthorized, "An API key is required.",
            $"Send a valid key in the {Header} header (./pwgf up prints one and keeps it in .pwgf/api-key).");

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        WriteProblemAsync(StatusCodes.Status403Forbidden, "This API key lacks the scope for this request.",
            "Mutations need the 'submit' scope; key management and the job dashboard need 'admin'.");

    private string? FindSecret()
    {
        if (Request.Headers.TryGetValue(Header, out var header)) return header.ToString();
        if (!Request.Path.StartsWithSegments("/hangfire")) return null;
        return Request.Query.TryGetValue(DashboardQuery, out var query) ? query.ToString() : Request.Cookies[DashboardCookie];
    }

    private async Task WriteProblemAsync(int status, string title, string detail)
    {
        Response.StatusCode = status;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }
}

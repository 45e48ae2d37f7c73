using Hangfire.Dashboard;
using Microsoft.AspNetCore.Authentication;
using Pwgf.Api.Keys;

namespace Pwgf.Api.Hosting;

/// <summary>
/// The Hangfire dashboard needs an admin key. A browser can pass it once as ?api_key=...; it is then kept in an
/// HttpOnly cookie limited to /hangfire, so the dashboard's own requests carry it.
/// </summary>
public sealed class DashboardAuthorization : IDashboardAsyncAuthorizationFilter
{
    public async Task<bool> AuthorizeAsync(DashboardContext context)
    {
        var http = context.GetHttpContext();
        var result = await http.AuthenticateAsync(ApiKeyAuthentication.SchemeName);
        if (!result.Succeeded || !result.Principal.HasClaim(Scopes.ClaimType, Scopes.Admin)) return false;

        if (http.Request.Query.TryGetValue(ApiKeyAuthentication.DashboardQuery, out var secret))
        {
            http.Response.Cookies.Append(ApiKeyAuthentication.DashboardCookie, secret.ToString(), new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Path = "/hangfire",
                Secure = http.Request.IsHttps,
            });
        }
        return true;
    }
}

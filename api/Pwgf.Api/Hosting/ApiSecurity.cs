using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Pwgf.Api.Keys;

namespace Pwgf.Api.Hosting;

/// <summary>API keys with scopes, the policies that use them, and the submission rate limit.</summary>
public static class ApiSecurity
{
    public const string ReadPolicy = "read";
    public const string SubmitPolicy = "submit";
    public const string AdminPolicy = "admin";
    public const string SubmissionLimit = "submissions";

    public static WebApplicationBuilder AddApiSecurity(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ApiSecurityOptions>()
            .BindConfiguration(ApiSecurityOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddAuthentication(ApiKeyAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(SubmitPolicy, policy => policy.RequireClaim(Scopes.ClaimType, Scopes.Submit, Scopes.Admin))
            .AddPolicy(AdminPolicy, policy => policy.RequireClaim(Scopes.ClaimType, Scopes.Admin));
        // The read policy and the rate limit depend on settings, so they are built from the validated options.
        builder.Services.AddOptions<AuthorizationOptions>().Configure<IOptions<ApiSecurityOptions>>((authorization, security) =>
            authorization.AddPolicy(ReadPolicy, policy =>
            {
                if (security.Value.RequireKeyForReads) policy.RequireAuthenticatedUser();
                else policy.RequireAssertion(_ => true);
            }));

        // The limiter's services here, its policy from the validated options below.
        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IOptions<ApiSecurityOptions>>((limiter, security) =>
        {
            int perMinute = security.Value.SubmissionsPerMinute;
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(SubmissionLimit, context => RateLimitPartition.GetFixedWindowLimiter(
                context.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? context.Connection.RemoteIpAddress?.ToString() ?? "anonymous",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1) }));
            limiter.OnRejected = async (rejected, cancellationToken) =>
            {
                var problems = rejected.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
                await problems.WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = rejected.HttpContext,
                    ProblemDetails = new ProblemDetails
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many submissions.",
                        Detail = $"At most {perMinute} submissions per minute per key; try again shortly.",
                    },
                });
            };
        });

        builder.Services.AddHostedService<AdminKeyBootstrap>();
        return builder;
    }

    public static WebApplication UseApiSecurity(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        return app;
    }
}

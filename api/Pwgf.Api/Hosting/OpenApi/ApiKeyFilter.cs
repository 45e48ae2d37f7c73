using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Pwgf.Api.Hosting.OpenApi;

/// <summary>
/// Marks which operations need an X-Api-Key: those behind the submit or admin policy require one and may answer
/// 401 or 403; reads accept one (they need it only where Api:RequireKeyForReads is set) and answer 401 there without one.
/// </summary>
internal sealed class ApiKeyFilter : IOperationFilter
{
    public const string SchemeName = "ApiKey";

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var policies = context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>().Select(a => a.Policy).ToList();
        bool needsKey = policies.Contains(ApiSecurity.SubmitPolicy) || policies.Contains(ApiSecurity.AdminPolicy);
        var key = new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeName, context.Document)] = [] };
        // An empty requirement next to the key's makes the key optional.
        operation.Security = needsKey ? [key] : [new OpenApiSecurityRequirement(), key];
        operation.Responses ??= [];
        if (!needsKey)
        {
            operation.Responses.TryAdd("401", new OpenApiResponse { Description = "Only where the deployment sets Api:RequireKeyForReads: no valid X-Api-Key (ProblemDetails)." });
            return;
        }

        string scope = policies.Contains(ApiSecurity.AdminPolicy) ? "admin" : "submit (or admin)";
        operation.Responses.TryAdd("401", new OpenApiResponse { Description = "No valid X-Api-Key (ProblemDetails)." });
        operation.Responses.TryAdd("403", new OpenApiResponse { Description = $"The key lacks the {scope} scope (ProblemDetails)." });
    }
}

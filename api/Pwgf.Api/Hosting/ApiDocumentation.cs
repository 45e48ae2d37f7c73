using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Pwgf.Api.Hosting.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Pwgf.Api.Hosting;

public static class ApiDocumentation
{
    public static WebApplicationBuilder AddApiDocumentation(this WebApplicationBuilder builder)
    {
        builder.Services.AddEndpointsApiExplorer();
        builder.Services.AddSwaggerGen(swagger =>
        {
            swagger.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "PwgfService",
                Version = "v1",
                Description = """
                    Compare gradient estimators for discrete latent variables: submit comparisons, follow their runs,
                    read their metrics and plots, audit estimators at one parameter point.

                    Keys: mutations need an X-Api-Key with the submit scope (key management: admin); reads are open
                    unless the deployment sets Api:RequireKeyForReads. Errors are ProblemDetails (RFC 9457); a 400
                    names each bad field under "errors".

                    Polling: GET of a comparison, a run, a metric series, a comparison's bands and a plot carries a weak ETag; send it back in
                    If-None-Match and an unchanged resource answers 304 with no body. Metric series take afterStep (only
                    newer points) and maxPoints (server-side thinning that keeps the first and last point).
                    """,
            });
            // Every assembly of the service documents its own types (RunStatus, RunManifest, dataset descriptions).
            foreach (string xml in Directory.EnumerateFiles(AppContext.BaseDirectory, "Pwgf.*.xml"))
            {
                swagger.IncludeXmlComments(xml);
            }
            swagger.AddSecurityDefinition(ApiKeyFilter.SchemeName, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.ApiKey,
                In = ParameterLocation.Header,
                Name = "X-Api-Key",
                Description = "An API key (./pwgf up prints the admin key and keeps it in .pwgf/api-key; admins create more with POST /api/v1/keys).",
            });
            swagger.OperationFilter<ApiKeyFilter>();
            swagger.OperationFilter<RequestExampleFilter>();
            swagger.OperationFilter<ConditionalGetFilter>();
            swagger.SchemaFilter<ChoicesFilter>();
            swagger.ParameterFilter<ChoicesFilter>();
            swagger.SchemaFilter<ContractShapesFilter>();
            swagger.DocumentFilter<ApiTagFilter>();
            swagger.DocumentFilter<XmlWrapFilter>();
            // A field declared `string` (not `string?`) is never null on the wire; say so.
            swagger.SupportNonNullableReferenceTypes();
        });
        // Describe JSON as the API writes it (enums as their names, not numbers), not with Swashbuckle's defaults.
        builder.Services.AddTransient<ISerializerDataContractResolver>(services =>
            new JsonSerializerDataContractResolver(services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions));
        return builder;
    }

    public static WebApplication MapApiDocumentation(this WebApplication app)
    {
        app.UseSwagger(swagger => swagger.PreSerializeFilters.Add((document, request) =>
            // The service's address as the client reached it, so a generated client has a base URL to call.
            document.Servers = [new OpenApiServer { Url = $"{request.Scheme}://{request.Host.Value}{request.PathBase}", Description = "This service" }]));
        app.UseSwaggerUI(ui => ui.DocumentTitle = "PwgfService API");
        return app;
    }
}

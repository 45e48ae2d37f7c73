using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Pwgf.Api.Hosting.OpenApi;

/// <summary>
/// On every operation that can answer 304: documents the If-None-Match request header and the ETag response header,
/// so a client (or Swagger UI) sees how to poll it cheaply.
/// </summary>
internal sealed class ConditionalGetFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (operation.Responses is not { } responses || !responses.TryGetValue("304", out var notModified)) return;
        if (notModified is OpenApiResponse unchanged)
        {
            unchanged.Description = "Not Modified: the If-None-Match tag is still current; no body.";
        }

        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = "If-None-Match",
            In = ParameterLocation.Header,
            Description = "The ETag of the copy you hold; the answer is 304 with no body while it is still current.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
        });
        if (responses.TryGetValue("200", out var ok) && ok is OpenApiResponse fresh)
        {
            fresh.Headers ??= new Dictionary<string, IOpenApiHeader>();
            fresh.Headers["ETag"] = new OpenApiHeader
            {
                Description = "Weak entity tag of this representation; it changes whenever the data behind it does.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            };
        }
    }
}

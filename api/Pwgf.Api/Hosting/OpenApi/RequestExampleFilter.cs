using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Pwgf.Api.Hosting.OpenApi;

/// <summary>Copies the <see cref="RequestExample"/>s of an endpoint into its request body's examples.</summary>
internal sealed class RequestExampleFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var examples = context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<RequestExample>().ToList();
        if (examples.Count == 0 || operation.RequestBody?.Content is not { } content) return;
        foreach (var media in content.Values)
        {
            media.Examples ??= new Dictionary<string, IOpenApiExample>();
            foreach (var example in examples)
            {
                media.Examples[example.Name] = new OpenApiExample { Summary = example.Summary, Value = JsonNode.Parse(example.Json) };
            }
        }
    }
}

using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Pwgf.Api.Hosting.OpenApi;

/// <summary>
/// The tag a route group puts on its operations, with the description the OpenAPI document shows for it; declared
/// once beside the group (see <see cref="ApiTagExtensions.WithApiTag"/>).
/// </summary>
public sealed record ApiTag(string Name, string Description);

public static class ApiTagExtensions
{
    /// <summary>Tags every route of the group and keeps the tag's description as endpoint metadata.</summary>
    public static RouteGroupBuilder WithApiTag(this RouteGroupBuilder group, ApiTag tag) =>
        group.WithTags(tag.Name).WithMetadata(tag);
}

/// <summary>Lists the tags of the document with their descriptions, from the <see cref="ApiTag"/>s of its endpoints.</summary>
internal sealed class ApiTagFilter : IDocumentFilter
{
    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        var tags = context.ApiDescriptions
            .SelectMany(api => api.ActionDescriptor.EndpointMetadata.OfType<ApiTag>())
            .DistinctBy(tag => tag.Name)
            .OrderBy(tag => tag.Name, StringComparer.Ordinal);
        document.Tags = new HashSet<OpenApiTag>(tags.Select(tag => new OpenApiTag { Name = tag.Name, Description = tag.Description }));
    }
}

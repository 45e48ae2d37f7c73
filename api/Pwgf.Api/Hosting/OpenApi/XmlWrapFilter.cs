using System.Text.RegularExpressions;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Pwgf.Api.Hosting.OpenApi;

/// <summary>
/// Joins the lines of descriptions that come from wrapped XML &lt;param&gt; comments. Swashbuckle tidies summaries and
/// remarks but keeps a wrapped parameter comment's line break and source indentation, which generated clients then
/// copy into their doc comments.
/// </summary>
internal sealed partial class XmlWrapFilter : IDocumentFilter
{
    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        foreach (var schema in document.Components?.Schemas?.Values ?? [])
        {
            foreach (var property in schema.Properties?.Values ?? [])
            {
                if (property is OpenApiSchema { Description: { } text } described) described.Description = Join(text);
            }
        }
        var operations = document.Paths.Values.SelectMany(path => path.Operations?.Values.AsEnumerable() ?? []).ToList();
        foreach (var parameter in operations.SelectMany(operation => operation.Parameters ?? []))
        {
            if (parameter is OpenApiParameter { Description: { } text } described) described.Description = Join(text);
        }
        foreach (var body in operations.Select(operation => operation.RequestBody))
        {
            if (body is OpenApiRequestBody { Description: { } text } described) described.Description = Join(text);
        }
    }

    private static string Join(string text) => WrappedLine().Replace(text, " ");

    [GeneratedRegex(@"[ \t]*\r?\n[ \t]+")]
    private static partial Regex WrappedLine();
}

using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Pwgf.Api.Hosting.OpenApi;

/// <summary>
/// Makes the document say what the wire carries, so that a generated client types it right:
/// <list type="bullet">
/// <item>request fields marked [Required] are required and not nullable (the API refuses null there);</item>
/// <item>fields marked <see cref="OneOfAttribute"/> get their alternatives as oneOf;</item>
/// <item>every field of a response record is required: the API writes all of them, null ones as null.</item>
/// </list>
/// Requests are the records that refuse unknown fields (JsonUnmappedMemberHandling.Disallow); the rest of this
/// service's records are responses. Types of other libraries (ProblemDetails omits empty fields) are left alone.
/// </summary>
internal sealed class ContractShapesFilter : ISchemaFilter
{
    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema { Properties: { Count: > 0 } properties } target) return;
        if (context.Type.Assembly.GetName().Name?.StartsWith("Pwgf.", StringComparison.Ordinal) != true) return;
        bool request = context.Type.GetCustomAttribute<JsonUnmappedMemberHandlingAttribute>()?.UnmappedMemberHandling == JsonUnmappedMemberHandling.Disallow;

        foreach (var property in context.Type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            string name = JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            if (!properties.TryGetValue(name, out var field)) continue;
            if (property.GetCustomAttribute<OneOfAttribute>() is { } oneOf)
            {
                properties[name] = field = Alternatives(property.PropertyType, oneOf, field.Description, context);
            }

            bool required = request
                ? property.GetCustomAttribute<RequiredAttribute>() is not null
                : property.GetCustomAttribute<JsonIgnoreAttribute>() is not { Condition: not JsonIgnoreCondition.Never };
            if (!required) continue;
            target.Required ??= new HashSet<string>();
            target.Required.Add(name);
            if (request && field is OpenApiSchema value && value.Type is { } type) value.Type = type & ~JsonSchemaType.Null;
        }
    }

    /// <summary>The oneOf of the shapes, on the field itself, its items (a list) or its values (a dictionary).</summary>
    private static OpenApiSchema Alternatives(Type type, OneOfAttribute oneOf, string? description, SchemaFilterContext context)
    {
        var shapes = new OpenApiSchema { OneOf = [.. oneOf.Shapes.Select(shape => context.SchemaGenerator.GenerateSchema(shape, context.SchemaRepository))] };
        if (type.IsAssignableTo(typeof(IDictionary)))
        {
            return new OpenApiSchema { Type = JsonSchemaType.Object, AdditionalProperties = shapes, Description = description };
        }
        if (type != typeof(string) && type.IsAssignableTo(typeof(IEnumerable)))
        {
            return new OpenApiSchema { Type = JsonSchemaType.Array, Items = shapes, Description = description };
        }
        shapes.Description = description;
        return shapes;
    }
}

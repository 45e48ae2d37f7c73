using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Pwgf.Api.Comparisons;
using Pwgf.Api.Diagnostics;
using Pwgf.Api.Keys;
using Pwgf.Estimators;
using Pwgf.Estimators.Families;
using Pwgf.Training;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Pwgf.Api.Hosting.OpenApi;

/// <summary>Marks a query or route parameter that takes a metric name, so the document lists the names.</summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class MetricNameAttribute : Attribute;

/// <summary>
/// Lists the allowed values of request fields that are plain strings in C# (task, estimator, optimiser,
/// distribution, objective kind, scope, metric names) as OpenAPI enums. The values come from the same registries
/// the validators use, so the document cannot drift from what the API accepts.
/// </summary>
internal sealed class ChoicesFilter : ISchemaFilter, IParameterFilter
{
    private static IEnumerable<string> Estimators => EstimatorRegistry.All.Select(e => e.Name);
    private static IEnumerable<string> Distributions => Enum.GetNames<LatentDistribution>().Select(n => n.ToLowerInvariant());

    public static IEnumerable<string> MetricNames => TaskRegistry.All.SelectMany(t => t.MetricNames).Distinct();

    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema { Properties: { } properties }) return;
        if (context.Type == typeof(SubmitComparisonRequest))
        {
            Restrict(properties, "task", TaskRegistry.All.Select(t => t.Name));
            DescribeEstimatorItems(properties, context.SchemaRepository);
        }
        else if (context.Type == typeof(OptimizerRequest))
        {
            Restrict(properties, "name", Optimizers.Names);
        }
        else if (context.Type == typeof(DiagnosticsRequest))
        {
            Restrict(properties, "distribution", Distributions);
            DescribeEstimatorItems(properties, context.SchemaRepository);
        }
        else if (context.Type == typeof(DiagnosticsObjectiveRequest))
        {
            Restrict(properties, "kind", DiagnosticsValidator.ObjectiveKinds);
        }
        else if (context.Type == typeof(CreateKeyRequest) && properties.TryGetValue("scopes", out var scopes) && scopes is OpenApiSchema list)
        {
            list.Items = StringChoices(Scopes.All);
        }
    }

    public void Apply(IOpenApiParameter parameter, ParameterFilterContext context)
    {
        if (context.ParameterInfo?.GetCustomAttribute<MetricNameAttribute>() is null) return;
        if (parameter is OpenApiParameter { Schema: OpenApiSchema schema }) schema.Enum = [.. MetricNames.Select(Node)];
    }

    private static void Restrict(IDictionary<string, IOpenApiSchema> properties, string name, IEnumerable<string> values)
    {
        if (properties.TryGetValue(name, out var property) && property is OpenApiSchema field) field.Enum = [.. values.Select(Node)];
    }

    /// <summary>The schema of one entry of an "estimators" list, shared by comparisons and audits.</summary>
    public const string EstimatorEntry = "EstimatorEntry";

    /// <summary>An estimator is a name or an object with the name and the estimator's parameters.</summary>
    private static void DescribeEstimatorItems(IDictionary<string, IOpenApiSchema> properties, SchemaRepository repository)
    {
        if (!properties.TryGetValue("estimators", out var property) || property is not OpenApiSchema list) return;
        list.Items = repository.Schemas.ContainsKey(EstimatorEntry)
            ? new OpenApiSchemaReference(EstimatorEntry)
            : repository.AddDefinition(EstimatorEntry, new OpenApiSchema
            {
                Description = "An estimator by name (its defaults), or an object with the name and any of that estimator's parameters (GET /api/v1/estimators).",
                OneOf = [StringChoices(Estimators), .. EstimatorRegistry.All.Select(WithParameters)],
            });
    }

    /// <summary>{"name": "reinforce-loo", "samples": 4}: the estimator's own parameters and nothing else, as the API checks.</summary>
    private static OpenApiSchema WithParameters(EstimatorDefinition estimator)
    {
        var properties = new Dictionary<string, IOpenApiSchema> { ["name"] = StringChoices([estimator.Name]) };
        foreach (var parameter in estimator.Parameters) properties[parameter.Name] = Describe(parameter);
        return new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Title = $"{estimator.Name} with parameters",
            Required = new HashSet<string> { "name" },
            Properties = properties,
            AdditionalPropertiesAllowed = false,
        };
    }

    private static OpenApiSchema Describe(ParameterSpec parameter) => parameter.Kind switch
    {
        ParameterKind.Boolean => new() { Type = JsonSchemaType.Boolean, Default = JsonValue.Create(parameter.Default != 0), Description = parameter.Description },
        ParameterKind.Choice => new()
        {
            Type = JsonSchemaType.String, Enum = [.. parameter.Choices!.Select(Node)], Default = Node(parameter.DefaultChoice!), Description = parameter.Description,
        },
        ParameterKind.NumberList => new()
        {
            Type = JsonSchemaType.Array, Items = Bounded(JsonSchemaType.Number, parameter), MaxItems = parameter.MaxCount, Description = parameter.Description,
        },
        ParameterKind.Integer => Bounded(JsonSchemaType.Integer, parameter, withDefault: true),
        _ => Bounded(JsonSchemaType.Number, parameter, withDefault: true),
    };

    private static OpenApiSchema Bounded(JsonSchemaType type, ParameterSpec parameter, bool withDefault = false) => new()
    {
        Type = type,
        Minimum = Invariant(parameter.Minimum),
        Maximum = Invariant(parameter.Maximum),
        Default = withDefault ? JsonValue.Create(parameter.Default) : null,
        Description = withDefault ? parameter.Description : null,
    };

    private static string Invariant(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static OpenApiSchema StringChoices(IEnumerable<string> values) =>
        new() { Type = JsonSchemaType.String, Enum = [.. values.Select(Node)] };

    private static JsonNode Node(string value) => JsonValue.Create(value);
}

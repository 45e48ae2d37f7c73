namespace Pwgf.Api.Hosting.OpenApi;

/// <summary>
/// A field that takes one of several JSON shapes. Requests bind such a field as raw JSON (JsonElement), so that the
/// validator can say what is wrong with it; this attribute tells the OpenAPI document which shapes it accepts, so a
/// generated client types it instead of leaving it unknown. On a list it describes the items, on a dictionary the
/// values.
/// </summary>
/// <param name="shapes">The .NET types whose schemas are the alternatives, e.g. double[] and double[][].</param>
[AttributeUsage(AttributeTargets.Property)]
public sealed class OneOfAttribute(params Type[] shapes) : Attribute
{
    public IReadOnlyList<Type> Shapes { get; } = shapes;
}

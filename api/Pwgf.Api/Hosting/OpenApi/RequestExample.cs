namespace Pwgf.Api.Hosting.OpenApi;

/// <summary>
/// A request body that the OpenAPI document shows for an endpoint (Swagger UI offers it in "Try it out"). It is
/// endpoint metadata, so it is attached in the route table next to the route it documents.
/// </summary>
/// <param name="Name">Key of the example in the document.</param>
/// <param name="Summary">One line shown in Swagger UI's example picker.</param>
/// <param name="Json">The body; it must be a request the endpoint accepts (a test submits every one).</param>
public sealed record RequestExample(string Name, string Summary, string Json);

public static class RequestExampleExtensions
{
    public static TBuilder WithRequestExamples<TBuilder>(this TBuilder builder, params RequestExample[] examples)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata([.. examples]);
}

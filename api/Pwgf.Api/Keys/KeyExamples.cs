using Pwgf.Api.Hosting.OpenApi;

namespace Pwgf.Api.Keys;

/// <summary>The key requests the OpenAPI document shows; each is a request the API accepts (a test sends them).</summary>
public static class KeyExamples
{
    public static readonly RequestExample SubmitKey = new("ci-key",
        "A key for a CI job that submits comparisons",
        """{"name": "ci", "scopes": ["submit"]}""");
}

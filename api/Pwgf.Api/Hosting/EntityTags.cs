using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Net.Http.Headers;

namespace Pwgf.Api.Hosting;

/// <summary>
/// Weak entity tags for conditional GETs (If-None-Match, 304). A tag digests the few stored values that change
/// whenever the response would (a run row's xmin, the point count and last step of a series), never the response
/// itself, so an unchanged resource is answered after reading those values alone. The build's identity is part of
/// every tag: a new release, which may shape or summarise responses differently, never answers 304 to an old tag.
/// </summary>
public static class EntityTags
{
    private static readonly string Build = typeof(EntityTags).Assembly.ManifestModule.ModuleVersionId.ToString("N");

    /// <summary>A weak tag over <paramref name="parts"/>, formatted invariantly; <paramref name="kind"/> keeps the
    /// tags of different resources apart.</summary>
    public static string Of(string kind, IEnumerable<object?> parts)
    {
        var text = new StringBuilder(Build).Append('|').Append(kind);
        foreach (object? part in parts) text.Append('|').Append(Convert.ToString(part, CultureInfo.InvariantCulture));
        byte[] digest = SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()));
        return $"W/\"{Convert.ToHexStringLower(digest, 0, 16)}\"";
    }

    /// <summary>Whether the client's If-None-Match already names <paramref name="tag"/> (weak comparison, as RFC 9110
    /// requires for If-None-Match) or is "*".</summary>
    public static bool ClientHas(HttpRequest request, string tag)
    {
        if (!EntityTagHeaderValue.TryParseList(request.Headers.IfNoneMatch, out var sent)) return false;
        var current = EntityTagHeaderValue.Parse(tag);
        return sent.Any(candidate => candidate.Equals(EntityTagHeaderValue.Any) || candidate.Compare(current, useStrongComparison: false));
    }

    /// <summary>Sends the tag with a 200, and asks caches to revalidate before they reuse the body.</summary>
    public static void Stamp(HttpResponse response, string tag)
    {
        response.Headers.ETag = tag;
        // Reads may need a key, so shared caches keep nothing; browsers revalidate every time (cheap: a 304).
        response.Headers.CacheControl = "private, no-cache";
    }
}

/// <summary>304 Not Modified with the current tag; declared in the OpenAPI document of every route that returns it.</summary>
public sealed class NotModified(string tag) : IResult, IStatusCodeHttpResult, IEndpointMetadataProvider
{
    public int? StatusCode => StatusCodes.Status304NotModified;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        EntityTags.Stamp(httpContext.Response, tag);
        httpContext.Response.StatusCode = StatusCodes.Status304NotModified;
        return Task.CompletedTask;
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status304NotModified, typeof(void)));
}

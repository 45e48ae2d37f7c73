using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pwgf.Infrastructure;

/// <summary>How run configurations and comparison specifications are serialised into jsonb columns, and hashed.</summary>
public static class RunJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// SHA-256 (hex) of the value's canonical JSON: object properties sorted by name at every depth, so equal
    /// configurations hash equally however their dictionaries were filled.
    /// </summary>
    public static string Hash<T>(T value)
    {
        var canonical = Canonical(JsonSerializer.SerializeToNode(value, Options))?.ToJsonString() ?? "null";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    private static JsonNode? Canonical(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Canonical(p.Value)))),
        JsonArray array => new JsonArray([.. array.Select(Canonical)]),
        _ => node?.DeepClone(),
    };
}

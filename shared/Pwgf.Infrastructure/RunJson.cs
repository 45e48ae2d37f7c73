using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pwgf.Infrastructure;

/// <summary>
/// How the stored documents (a comparison's specification, a run's configuration and manifest) are written into
/// their jsonb columns, and hashed. The options are System.Text.Json's web defaults (camelCase names), which rows
/// written since the first release use; changing them would change every config hash.
/// </summary>
public static class RunJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException($"A stored {typeof(T).Name} is null.");

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

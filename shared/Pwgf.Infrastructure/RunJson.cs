using System.Text.Json;

namespace Pwgf.Infrastructure;

/// <summary>How run configurations and comparison specifications are serialised into jsonb columns.</summary>
public static class RunJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);
}

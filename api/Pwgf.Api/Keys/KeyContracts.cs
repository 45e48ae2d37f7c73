using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Pwgf.Api.Keys;

/// <param name="Name">What the key is for, e.g. "ci" or "alice's notebook".</param>
/// <param name="Scopes">"submit" (submit and cancel comparisons, run diagnostics) and/or "admin" (also keys and the job dashboard).</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record CreateKeyRequest([property: Required] string? Name, [property: Required] List<string>? Scopes);

/// <summary>A new key; <paramref name="Key"/> is its secret, shown only in this response.</summary>
/// <param name="Id">Key id.</param>
/// <param name="Name">Key name.</param>
/// <param name="Scopes">Key scopes.</param>
/// <param name="Key">The secret to send as X-Api-Key.</param>
public sealed record CreatedKey(Guid Id, string Name, IReadOnlyList<string> Scopes, string Key);

public sealed record KeyDetails(Guid Id, string Name, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

using System.Security.Cryptography;
using System.Text;

namespace Pwgf.Infrastructure.Entities;

/// <summary>
/// An API key: only its SHA-256 hash is stored. Keys are 32 random bytes, so a fast hash is enough (there is nothing
/// to brute-force); the secret is shown once, when the key is created.
/// </summary>
public sealed class ApiKey
{
    public const string Prefix = "pwgf_";

    private ApiKey() { }

    public ApiKey(string name, string hash, IReadOnlyCollection<string> scopes, DateTimeOffset createdAt)
    {
        Id = Guid.CreateVersion7();
        Name = name;
        Hash = hash;
        Scopes = [.. scopes];
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }
    public string Name { get; private set; } = "";
    public string Hash { get; private set; } = "";
    public string[] Scopes { get; private set; } = [];
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? RevokedAt { get; private set; }

    public void Revoke(DateTimeOffset now) => RevokedAt ??= now;

    public static string NewSecret() => Prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    public static string HashOf(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}

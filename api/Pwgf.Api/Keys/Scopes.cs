namespace Pwgf.Api.Keys;

/// <summary>What a key may do. Admin implies submit.</summary>
public static class Scopes
{
    public const string Submit = "submit";
    public const string Admin = "admin";
    public const string ClaimType = "scope";

    public static IReadOnlyList<string> All { get; } = [Submit, Admin];
}

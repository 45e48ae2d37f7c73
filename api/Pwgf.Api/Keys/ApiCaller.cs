using System.Security.Claims;

namespace Pwgf.Api.Keys;

/// <summary>The API key behind an authenticated request: what it may change besides submitting.</summary>
/// <param name="KeyId">The key's id (ApiKeyAuthentication puts it in the NameIdentifier claim).</param>
/// <param name="IsAdmin">Whether the key has the admin scope.</param>
public sealed record ApiCaller(Guid KeyId, bool IsAdmin)
{
    /// <summary>The caller of a request that passed the submit or admin policy (so it carries a key).</summary>
    public static ApiCaller Of(ClaimsPrincipal user)
    {
        string id = user.FindFirstValue(ClaimTypes.NameIdentifier)
            ?? throw new InvalidOperationException("The request carries no API key; the route must require one.");
        return new ApiCaller(Guid.Parse(id), user.HasClaim(Scopes.ClaimType, Scopes.Admin));
    }

    /// <summary>
    /// Admins may change anything; a submit key only what it created. Rows stored before their creator was recorded
    /// (<paramref name="owner"/> null) belong to no submit key.
    /// </summary>
    public bool MayChange(Guid? owner) => IsAdmin || owner == KeyId;
}

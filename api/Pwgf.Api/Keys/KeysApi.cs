using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Pwgf.Api.Hosting;
using Pwgf.Api.Hosting.OpenApi;
using Pwgf.Infrastructure;
using Pwgf.Infrastructure.Entities;

namespace Pwgf.Api.Keys;

/// <summary>
/// /api/v1/keys: API key management, for admin keys. Each handler's XML comment is its entry in the OpenAPI document.
/// </summary>
public static class KeysApi
{
    public static readonly ApiTag Tag = new("Keys", "API keys and their scopes (submit, admin); admin keys only.");

    public static RouteGroupBuilder MapKeysApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/keys").WithApiTag(Tag).RequireAuthorization(ApiSecurity.AdminPolicy);

        group.MapPost("/", CreateAsync).WithName("CreateKey")
            .WithRequestExamples(KeyExamples.SubmitKey);
        group.MapGet("/", ListAsync).WithName("ListKeys");
        group.MapDelete("/{id:guid}", RevokeAsync).WithName("RevokeKey")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    /// <summary>Create an API key with scopes (submit, admin). Its secret is returned once and never stored.</summary>
    /// <remarks>
    /// Needs an admin key. Scopes: submit (submit and cancel comparisons, run diagnostics) and admin (also keys and the
    /// Hangfire dashboard). The answer (201) holds the secret to send as X-Api-Key; only its SHA-256 hash is kept, so a
    /// lost secret cannot be recovered, only replaced.
    /// </remarks>
    /// <param name="request">The key's name and scopes.</param>
    /// <param name="db">Database.</param>
    /// <param name="clock">Clock.</param>
    /// <param name="cancellationToken">Request aborted.</param>
    public static async Task<Results<Created<CreatedKey>, ValidationProblem>> CreateAsync(
        CreateKeyRequest request, PwgfDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Name is not { Length: > 0 and <= 100 }) errors["name"] = ["Required, at most 100 characters."];
        var scopes = request.Scopes ?? [];
        if (scopes.Count == 0 || scopes.Any(s => !Scopes.All.Contains(s)))
        {
            errors["scopes"] = [$"One or more of: {string.Join(", ", Scopes.All)}."];
        }
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        string secret = ApiKey.NewSecret();
        var key = new ApiKey(request.Name!, ApiKey.HashOf(secret), scopes.Distinct().ToList(), clock.GetUtcNow());
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/keys/{key.Id}", new CreatedKey(key.Id, key.Name, key.Scopes, secret));
    }

    /// <summary>Every key: name, scopes, created and revoked times (never secrets).</summary>
    /// <remarks>Needs an admin key. Oldest first; revoked keys stay listed with their revocation time.</remarks>
    /// <param name="db">Database.</param>
    /// <param name="cancellationToken">Request aborted.</param>
    public static async Task<Ok<List<KeyDetails>>> ListAsync(PwgfDbContext db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await db.ApiKeys.AsNoTracking()
            .OrderBy(k => k.CreatedAt)
            .Select(k => new KeyDetails(k.Id, k.Name, k.Scopes, k.CreatedAt, k.RevokedAt))
            .ToListAsync(cancellationToken));

    /// <summary>Revoke a key; requests that carry it get 401 from now on.</summary>
    /// <remarks>Needs an admin key. Answers 204; revoking a revoked key again changes nothing.</remarks>
    /// <param name="id">The key's id (not its secret).</param>
    /// <param name="db">Database.</param>
    /// <param name="clock">Clock.</param>
    /// <param name="cancellationToken">Request aborted.</param>
    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(
        Guid id, PwgfDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == id, cancellationToken);
        if (key is null) return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such key.");
        key.Revoke(clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }
}

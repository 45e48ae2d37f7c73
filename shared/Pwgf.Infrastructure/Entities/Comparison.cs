namespace Pwgf.Infrastructure.Entities;

/// <summary>A submitted estimator comparison: one task, several estimators x seeds, one run each.</summary>
public sealed class Comparison
{
    private Comparison() { }

    public Comparison(string task, string specification, string requestHash, string? idempotencyKey, DateTimeOffset createdAt)
    {
        Id = Guid.CreateVersion7();
        Task = task;
        Specification = specification;
        RequestHash = requestHash;
        IdempotencyKey = idempotencyKey;
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }
    public string Task { get; private set; } = "";

    /// <summary>The normalised request (defaults filled in), as JSON.</summary>
    public string Specification { get; private set; } = "{}";

    /// <summary>Hash of the canonical specification: what an Idempotency-Key replay must match.</summary>
    public string RequestHash { get; private set; } = "";

    /// <summary>The client's Idempotency-Key, unique when given.</summary>
    public string? IdempotencyKey { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }
    public List<Run> Runs { get; private set; } = [];
}

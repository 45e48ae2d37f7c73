using Pwgf.Training;

namespace Pwgf.Infrastructure.Entities;

/// <summary>A submitted estimator comparison: one task, several estimators x seeds, one run each.</summary>
public sealed class Comparison
{
    private Comparison() { }

    public Comparison(ComparisonSpecification specification, string? idempotencyKey, DateTimeOffset createdAt, Guid? createdByKey = null)
    {
        Id = Guid.CreateVersion7();
        Task = specification.Task;
        Specification = specification;
        RequestHash = RunJson.Hash(specification);
        CreatedByKey = createdByKey;
        IdempotencyKey = idempotencyKey;
        CreatedAt = createdAt;
    }

    public Guid Id { get; private set; }
    public string Task { get; private set; } = "";

    /// <summary>The normalised request (defaults filled in), stored as jsonb.</summary>
    public ComparisonSpecification Specification { get; private set; } = null!;

    /// <summary>Hash of the canonical specification: what an Idempotency-Key replay must match.</summary>
    public string RequestHash { get; private set; } = "";

    /// <summary>
    /// The API key that submitted it: its owner, who may cancel it (besides admins). Null for comparisons stored
    /// before keys were recorded, which only admins may cancel.
    /// </summary>
    public Guid? CreatedByKey { get; private set; }

    /// <summary>The client's Idempotency-Key, unique per submitting key when given.</summary>
    public string? IdempotencyKey { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }
    public List<Run> Runs { get; private set; } = [];
}

namespace Pwgf.Infrastructure.Entities;

/// <summary>The latest saved training state of a run (one row per run, replaced on every checkpoint).</summary>
public sealed class Checkpoint
{
    public Guid RunId { get; set; }
    public int Step { get; set; }
    public byte[] State { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
}

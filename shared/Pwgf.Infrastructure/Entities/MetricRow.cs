namespace Pwgf.Infrastructure.Entities;

/// <summary>One metric value of a run at a step; (run, name, step) is unique, so a retried write never duplicates.</summary>
public sealed class MetricRow
{
    public Guid RunId { get; set; }
    public string Name { get; set; } = "";
    public int Step { get; set; }
    public double Value { get; set; }
}

namespace Pwgf.Training;

/// <summary>A named metric value at the current parameters.</summary>
public readonly record struct MetricValue(string Name, double Value)
{
    /// <summary>A value of the metric <paramref name="metric"/> defines.</summary>
    public MetricValue(MetricDefinition metric, double value) : this(metric.Name, value) { }
}

/// <summary>
/// One run's model, optimiser and random streams, advanced one step at a time by <see cref="TrainingLoop"/>.
/// </summary>
public interface ITrainingSession : IDisposable
{
    /// <summary>"cpu" or "cuda".</summary>
    string Device { get; }

    /// <summary>One optimisation step.</summary>
    void Step();

    /// <summary>Metrics at the current parameters (no parameter change).</summary>
    IReadOnlyList<MetricValue> Evaluate();

    /// <summary>Everything a resumed run needs to continue exactly: parameters, optimiser state, random streams.</summary>
    void Save(BinaryWriter writer);

    /// <summary>Restores what <see cref="Save"/> wrote, into a freshly started session of the same configuration.</summary>
    void Load(BinaryReader reader);
}

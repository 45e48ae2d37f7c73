using System.Diagnostics.Metrics;

namespace Pwgf.Infrastructure.Telemetry;

/// <summary>
/// The service's own instruments (OpenTelemetry meter "Pwgf"): training throughput and the cost of writing metrics
/// from the workers; runs by state from the API (see RunStateSampler).
/// </summary>
public sealed class PwgfMetrics
{
    public const string MeterName = "Pwgf";

    public PwgfMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        StepsCompleted = meter.CreateCounter<long>("pwgf.training.steps", "{step}", "Optimisation steps completed by runs.");
        StepRate = meter.CreateHistogram<double>("pwgf.training.step_rate", "{step}/s", "Steps per second of a run between two progress reports.");
        MetricWriteDuration = meter.CreateHistogram<double>("pwgf.metrics.write_duration", "ms", "Time to store one batch of metric points and the run's progress.");
        MetricPointsWritten = meter.CreateCounter<long>("pwgf.metrics.points", "{point}", "Metric points written.");
        Meter = meter;
    }

    public Meter Meter { get; }
    public Counter<long> StepsCompleted { get; }
    public Histogram<double> StepRate { get; }
    public Histogram<double> MetricWriteDuration { get; }
    public Counter<long> MetricPointsWritten { get; }
}

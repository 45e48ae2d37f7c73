using System.Diagnostics.Metrics;

namespace Pwgf.Infrastructure.Telemetry;

/// <summary>
/// The service's own instruments (OpenTelemetry meter "Pwgf"): training throughput and the cost of writing metrics
/// from the workers; runs by state (see RunStateSampler) and the thinned-series cache from the API.
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
        SeriesThinned = meter.CreateCounter<long>("pwgf.api.series_thinned", "{series}", "Long series thinned by a database query.");
        SeriesCacheHits = meter.CreateCounter<long>("pwgf.api.series_cache_hits", "{series}", "Thinned series answered from the API's memory.");
        Meter = meter;
    }

    public Meter Meter { get; }
    public Counter<long> StepsCompleted { get; }
    public Histogram<double> StepRate { get; }
    public Histogram<double> MetricWriteDuration { get; }
    public Counter<long> MetricPointsWritten { get; }
    public Counter<long> SeriesThinned { get; }
    public Counter<long> SeriesCacheHits { get; }
}


namespace Pwgf.Api.Series;

/// <summary>One metric of every run of a comparison, runs in request order (estimator by estimator, seed by seed).</summary>
/// <param name="ComparisonId">The comparison.</param>
/// <param name="Name">The metric.</param>
/// <param name="Runs">Every run, also those without points yet.</param>
public sealed record ComparisonMetricSeries(Guid ComparisonId, string Name, IReadOnlyList<RunMetricSeries> Runs);

/// <summary>One run's points of the metric.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Estimator">The estimator's label in the comparison; group runs by it for across-seed means.</param>
/// <param name="Seed">The run's seed.</param>
/// <param name="Points">The points after afterStep in step order, thinned to at most maxPoints; empty when there are none
/// (yet). The last point is the run's latest, also when thinned.</param>
public sealed record RunMetricSeries(Guid RunId, string Estimator, long Seed, IReadOnlyList<MetricPointDto> Points);

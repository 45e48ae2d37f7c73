using Pwgf.Api.Catalog;

namespace Pwgf.Api.Series;

/// <summary>One metric of a comparison as per-estimator mean ± one standard error over seeds, step by step.</summary>
/// <param name="ComparisonId">The comparison.</param>
/// <param name="Metric">The metric's definition, as GET /api/v1/tasks lists it (title, unit, scale, lowerIsBetter).</param>
/// <param name="Axis">The units of every mean and standard error: "linear" (values as stored) for a linear metric;
/// "log10" (log10 of the quantity) for a log or naturalLog metric, so 10^mean is the geometric mean over seeds and
/// 10^(mean ± standardError) the band, for a logarithmic axis.</param>
/// <param name="Estimators">One band per estimator that has points, in the comparison's estimator order.</param>
public sealed record MetricBands(Guid ComparisonId, MetricDescription Metric, string Axis, IReadOnlyList<EstimatorBand> Estimators);

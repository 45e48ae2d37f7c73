using Pwgf.Statistics;

namespace Pwgf.Api.Series;

/// <summary>
/// How a metric's values map onto a plot's y axis. Variances span orders of magnitude, so metrics named "...variance"
/// are drawn as log10 of the variance with ticks labelled in powers of ten; everything else is drawn as stored.
/// </summary>
/// <param name="AxisLabel">The y axis label.</param>
/// <param name="Logarithmic">Whether the axis values are log10 of the variance.</param>
/// <param name="ToAxis">A stored value as an axis value, or null when the axis cannot show it (NaN of a diverged run,
/// a variance of 0 on a log axis).</param>
public sealed record MetricScale(string AxisLabel, bool Logarithmic, Func<double, double?> ToAxis)
{
    public static MetricScale For(string metric)
    {
        if (!metric.Contains("variance", StringComparison.Ordinal))
        {
            return new MetricScale(metric, false, SeedScales.Linear);
        }
        // grad_log_variance already stores ln(variance): rescale it to log10 rather than take a second log.
        if (metric.Contains("log_variance", StringComparison.Ordinal))
        {
            return new MetricScale($"variance (from {metric}), log scale", true, SeedScales.Log10OfNaturalLog);
        }
        return new MetricScale($"{metric}, log scale", true, SeedScales.Log10);
    }
}

using Pwgf.Statistics;
using Pwgf.Training;

namespace Pwgf.Api.Series;

/// <summary>
/// How a metric's values map onto a y axis, read from its <see cref="MetricDefinition"/>: a Linear metric is drawn
/// as stored; a Log metric (a variance) as log10 of its values; a NaturalLog metric (stored as ln of the quantity)
/// rescaled to log10, never logged twice. Across-seed means and standard errors are taken in these axis units, so
/// on a log axis the line is a geometric mean and the band multiplies and divides it by one factor.
/// </summary>
/// <param name="Definition">The metric.</param>
/// <param name="Units">"linear" (values as stored) or "log10" (log10 of the quantity): the units of band points.</param>
/// <param name="ToAxis">A stored value in axis units, or null when the axis cannot show it (NaN of a diverged run,
/// a variance of 0 on a log axis).</param>
public sealed record MetricAxis(MetricDefinition Definition, string Units, Func<double, double?> ToAxis)
{
    public const string LinearUnits = "linear";
    public const string Log10Units = "log10";

    /// <summary>Whether axis values are log10 of the quantity (ticks then stand for powers of ten).</summary>
    public bool Logarithmic => Units == Log10Units;

    /// <summary>The axis title: the definition's title, its unit, and the log scale when there is one.</summary>
    public string Label
    {
        get
        {
            string unit = Definition.Unit.Length > 0 ? $" ({Definition.Unit})" : "";
            return Logarithmic ? $"{Definition.Title}{unit}, log scale" : $"{Definition.Title}{unit}";
        }
    }

    public static MetricAxis For(MetricDefinition definition) => definition.Scale switch
    {
        MetricScale.Linear => new MetricAxis(definition, LinearUnits, SeedScales.Linear),
        MetricScale.Log => new MetricAxis(definition, Log10Units, SeedScales.Log10),
        MetricScale.NaturalLog => new MetricAxis(definition, Log10Units, SeedScales.Log10OfNaturalLog),
        _ => throw new ArgumentOutOfRangeException(nameof(definition), definition.Scale, "A metric scale without an axis."),
    };
}

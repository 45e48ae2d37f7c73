namespace Pwgf.Training;

/// <summary>How a metric's values are read on an axis.</summary>
public enum MetricScale
{
    /// <summary>As stored, on a linear axis.</summary>
    Linear,

    /// <summary>Positive values spanning orders of magnitude (a variance): draw them on a logarithmic axis.</summary>
    Log,

    /// <summary>
    /// The stored value is already the natural logarithm of the quantity (grad_log_variance is ln of a variance):
    /// draw it on a linear axis, or divide by ln 10 for powers of ten; never take its logarithm again.
    /// </summary>
    NaturalLog,
}

/// <summary>
/// What a recorded metric means: the one declaration that the session emitting it, the catalogue (GET
/// /api/v1/tasks), plots, summaries and reports read. Sessions declare their definitions beside the code that emits
/// them and emit through them, so a metric's name is spelled once.
/// </summary>
/// <param name="Name">The stored name, e.g. "grad_log_variance" (what series endpoints take as ?name=).</param>
/// <param name="Title">A short human title for a chart or a table column.</param>
/// <param name="Unit">The unit of the stored value ("nats", "steps/s"), or "" for a pure number.</param>
/// <param name="Scale">How to draw it.</param>
/// <param name="LowerIsBetter">
/// True when smaller is better (a loss), false when larger is better (a cosine), null when the metric describes the
/// run without a better direction (the mean parameter).
/// </param>
/// <param name="Description">One or two sentences: what is measured, on what, and how.</param>
public sealed record MetricDefinition(
    string Name,
    string Title,
    string Unit,
    MetricScale Scale,
    bool? LowerIsBetter,
    string Description);

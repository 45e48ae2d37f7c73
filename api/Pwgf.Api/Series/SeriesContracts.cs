namespace Pwgf.Api.Series;

/// <summary>One metric series of a run, in step order.</summary>
/// <param name="Name">The metric.</param>
/// <param name="Points">The points after afterStep, thinned to at most maxPoints when asked.</param>
public sealed record MetricSeries(string Name, IReadOnlyList<MetricPointDto> Points);

/// <summary>One recorded value of a metric.</summary>
/// <param name="Step">The optimisation step it was recorded at.</param>
/// <param name="Value">The value ("NaN" when the run diverged).</param>
public sealed record MetricPointDto(int Step, double Value);

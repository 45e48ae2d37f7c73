using System.Net;
using Pwgf.Client;

namespace Pwgf.Bench;

/// <summary>A PNG written for the report: its file name (relative to the plot folder) and what it shows.</summary>
public sealed record Figure(string FileName, string Caption);

/// <summary>A known reference value of a comparison, e.g. the optimum of a toy, stated beside its table.</summary>
public sealed record ReferenceLine(double Value, string Label);

/// <summary>
/// The report's figures, as the API draws them (GET /api/v1/comparisons/{id}/plots/{metric}.png): per estimator the
/// mean over seeds of a metric against the step, with a band of ± one standard error. The bench only decides which
/// metrics to show and saves the PNGs beside the report.
/// </summary>
public static class ComparisonFigures
{
    /// <summary>The figures of a comparison, in the order the report shows them: its curves, then its gradient variance.</summary>
    public static IReadOnlyList<(string Metric, Figure Figure)> Plan(ComparisonOutcome outcome)
    {
        var roles = outcome.Spec.Metrics;
        return [.. roles.Curves.Append(roles.Variance).Distinct().Select(metric => (metric, new Figure(
            $"{outcome.Spec.Task}-{metric}.png",
            $"{metric} against the step: per estimator the mean over the seeds that recorded each step, band ± one standard error " +
            $"(the API's plot of comparison `{outcome.Id}`)")))];
    }

    /// <summary>
    /// Saves every planned figure of the comparison into <paramref name="directory"/>; a metric with nothing to plot
    /// yet (the API answers 404) is left out.
    /// </summary>
    public static async Task<IReadOnlyList<Figure>> SaveAsync(
        PwgfClient client, ComparisonOutcome outcome, string directory, CancellationToken cancellationToken)
    {
        if (outcome.Id is not { } id) return [];
        var saved = new List<Figure>();
        foreach (var (metric, figure) in Plan(outcome))
        {
            try
            {
                byte[] png = await client.GetPlotAsync(id, metric, cancellationToken: cancellationToken);
                await File.WriteAllBytesAsync(Path.Combine(directory, figure.FileName), png, cancellationToken);
                saved.Add(figure);
            }
            catch (PwgfApiException refused) when (refused.Status == HttpStatusCode.NotFound)
            {
                // No run recorded a plottable point of this metric (every run refused or failed at once).
            }
        }
        return saved;
    }
}

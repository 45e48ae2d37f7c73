using Pwgf.Statistics;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace Pwgf.Bench;

/// <summary>A PNG written for the report: its file name (relative to the plot folder) and what it shows.</summary>
public sealed record Figure(string FileName, string Caption);

/// <summary>A horizontal line drawn across a figure, e.g. the known optimum of a toy.</summary>
public sealed record ReferenceLine(double Value, string Label);

/// <summary>
/// The report's figures, drawn with ScottPlot: per estimator the across-seed mean of a metric against the step,
/// with a shaded band of plus and minus one standard error (none when a single seed succeeded).
/// </summary>
public static class ExperimentPlots
{
    private const int Width = 960;
    private const int Height = 520;

    /// <summary>What one figure shows: a metric, mapped onto the axis by <paramref name="Transform"/>.</summary>
    private sealed record Plan(string Metric, string FileSuffix, string Title, string YLabel, string Caption,
        Func<double, double?>? Transform, bool LogScale, ReferenceLine? Reference);

    /// <summary>Draws every figure of one comparison into <paramref name="directory"/>.</summary>
    public static IReadOnlyList<Figure> Draw(ComparisonOutcome outcome, string directory, ReferenceLine? scoreReference)
    {
        var figures = new List<Figure>();
        foreach (var plan in Plans(outcome.Spec.Metrics, scoreReference))
        {
            var curves = ExperimentSummary.Curves(outcome, plan.Metric, plan.Transform);
            if (curves.Count == 0) continue;
            string file = $"{outcome.Spec.Task}-{plan.FileSuffix}.png";
            Save(curves, Path.Combine(directory, file), $"{outcome.Spec.Task}: {plan.Title}", plan.YLabel, plan.LogScale, plan.Reference);
            figures.Add(new Figure(file, plan.Caption));
        }
        return figures;
    }

    private static IEnumerable<Plan> Plans(MetricRoles roles, ReferenceLine? scoreReference)
    {
        const string band = "mean over seeds, band: ± one standard error";
        const string logBand = "geometric mean over seeds, band: ± one standard error of the log";
        foreach (string metric in roles.Curves)
        {
            var reference = metric == roles.Score ? scoreReference : null;
            yield return new Plan(metric, metric, metric, metric,
                $"{metric} against the step ({band}){(reference is null ? "" : $"; dashed: {reference.Label}")}",
                null, false, reference);
        }

        // Near the optimum a linear axis hides the differences that matter; the gap on a log axis shows them.
        if (scoreReference is not null)
        {
            double optimum = scoreReference.Value;
            yield return new Plan(roles.Score, $"{roles.Score}-gap", $"{roles.Score} above the optimum", $"{roles.Score} - optimum (log scale)",
                $"{roles.Score} minus the {scoreReference.Label} against the step, log scale ({logBand})",
                x => SeedScales.Log10(x - optimum), true, null);
        }

        string variance = roles.VarianceIsNaturalLog ? "gradient variance" : roles.Variance;
        yield return new Plan(roles.Variance, roles.Variance, variance, $"{variance} (log scale)",
            $"{variance} against the step, log scale ({logBand})",
            roles.VarianceIsNaturalLog ? SeedScales.Log10OfNaturalLog : SeedScales.Log10, true, null);
    }

    private static void Save(IReadOnlyList<EstimatorCurve> curves, string path, string title, string yLabel, bool logScale, ReferenceLine? reference)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        for (int i = 0; i < curves.Count; i++)
        {
            var curve = curves[i];
            var color = palette.GetColor(i);
            double[] steps = [.. curve.Band.Select(p => (double)p.Step)];
            if (curve.Band.Any(p => p.StandardError is not null))
            {
                var band = plot.Add.FillY(steps, [.. curve.Band.Select(p => p.Lower)], [.. curve.Band.Select(p => p.Upper)]);
                band.FillStyle.Color = color.WithAlpha(0.18);
                band.LineStyle.Width = 0;
            }
            var line = plot.Add.ScatterLine(steps, [.. curve.Band.Select(p => p.Mean)], color);
            line.LineWidth = 2;
            line.LegendText = curve.Seeds == 1 ? $"{curve.Estimator} (1 seed)" : curve.Estimator;
        }
        if (reference is not null)
        {
            var line = plot.Add.HorizontalLine(reference.Value, 1.5f, Colors.Black, LinePattern.Dashed);
            line.LegendText = reference.Label;
        }

        plot.Title(title);
        plot.XLabel("step");
        plot.YLabel(yLabel);
        plot.Axes.Margins(horizontal: 0.01, vertical: 0.05);
        if (logScale) UseLogTicks(plot);
        // Outside the data area, so that no curve hides behind it.
        plot.ShowLegend(Edge.Right);
        plot.SavePng(path, Width, Height);
    }

    /// <summary>The values are log10 already; label the ticks with the powers of ten they stand for.</summary>
    private static void UseLogTicks(Plot plot)
    {
        plot.Axes.Left.TickGenerator = new NumericAutomatic
        {
            MinorTickGenerator = new LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = y => $"1e{y:0}",
        };
        plot.Grid.MajorLineColor = Colors.Black.WithOpacity(0.15);
        plot.Grid.MinorLineColor = Colors.Black.WithOpacity(0.05);
        plot.Grid.MinorLineWidth = 1;
    }
}

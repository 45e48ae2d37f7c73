using Pwgf.Api.Series;
using Pwgf.Statistics;
using Pwgf.Training;
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
        foreach (var plan in Plans(outcome.Spec.Task, outcome.Spec.Metrics, scoreReference))
        {
            var curves = ExperimentSummary.Curves(outcome, plan.Metric, plan.Transform);
            if (curves.Count == 0) continue;
            string file = $"{outcome.Spec.Task}-{plan.FileSuffix}.png";
            Save(curves, Path.Combine(directory, file), $"{outcome.Spec.Task}: {plan.Title}", plan.YLabel, plan.LogScale, plan.Reference);
            figures.Add(new Figure(file, plan.Caption));
        }
        return figures;
    }

    /// <summary>
    /// The figures of a task: its curves and its variance, each titled and scaled by the metric's definition (the
    /// one the API's plots and dashboard read), and for a toy with a known optimum the score's gap above it.
    /// </summary>
    private static IEnumerable<Plan> Plans(string task, MetricRoles roles, ReferenceLine? scoreReference)
    {
        foreach (string metric in roles.Curves) yield return Curve(task, metric, metric == roles.Score ? scoreReference : null);

        // Near the optimum a linear axis hides the differences that matter; the gap on a log axis shows them.
        if (scoreReference is not null)
        {
            double optimum = scoreReference.Value;
            string score = Definition(task, roles.Score).Title;
            yield return new Plan(roles.Score, $"{roles.Score}-gap", $"{score} above the optimum", $"{score} - optimum (log scale)",
                $"{score} ({roles.Score}) minus the {scoreReference.Label} against the step, log scale ({LogBand})",
                x => SeedScales.Log10(x - optimum), true, null);
        }

        yield return Curve(task, roles.Variance, null);
    }

    private const string Band = "mean over seeds, band: ± one standard error";
    private const string LogBand = "geometric mean over seeds, band: ± one standard error of the log";

    private static Plan Curve(string task, string metric, ReferenceLine? reference)
    {
        var axis = MetricAxis.For(Definition(task, metric));
        string title = axis.Definition.Title;
        string scale = axis.Logarithmic ? $", log scale ({LogBand})" : $" ({Band})";
        return new Plan(metric, metric, title, axis.Label,
            $"{title} ({metric}) against the step{scale}{(reference is null ? "" : $"; dashed: {reference.Label}")}",
            axis.ToAxis, axis.Logarithmic, reference);
    }

    private static MetricDefinition Definition(string task, string metric) =>
        TaskRegistry.FindMetric(task, metric) ?? throw new InvalidOperationException($"The task {task} defines no metric {metric}.");

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

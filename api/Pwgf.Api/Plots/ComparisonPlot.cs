using ScottPlot;
using ScottPlot.TickGenerators;

namespace Pwgf.Api.Plots;

/// <summary>Draws one metric of a comparison with ScottPlot: a line per estimator and a shaded ± one standard error band.</summary>
public static class ComparisonPlot
{
    public const int DefaultWidth = 960;
    public const int DefaultHeight = 540;
    public const int MinWidth = 320;
    public const int MaxWidth = 2400;
    public const int MinHeight = 240;
    public const int MaxHeight = 1600;

    /// <summary>The PNG bytes of the plot.</summary>
    public static byte[] Render(string title, MetricScale scale, IReadOnlyList<EstimatorBand> bands, int width, int height)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        for (int i = 0; i < bands.Count; i++) Draw(plot, bands[i], palette.GetColor(i));

        plot.Title(title);
        plot.XLabel("step");
        plot.YLabel(scale.AxisLabel);
        if (scale.Logarithmic) LabelPowersOfTen(plot);
        plot.ShowLegend(Edge.Right);
        return plot.GetImageBytes(width, height, ImageFormat.Png);
    }

    private static void Draw(Plot plot, EstimatorBand band, Color color)
    {
        double[] steps = [.. band.Points.Select(p => (double)p.Step)];
        double[] means = [.. band.Points.Select(p => p.Mean)];
        if (band.Seeds > 1)
        {
            var fill = plot.Add.FillY(steps, [.. band.Points.Select(p => p.Mean - p.StandardError)], [.. band.Points.Select(p => p.Mean + p.StandardError)]);
            fill.FillStyle.Color = color.WithAlpha(0.2);
            fill.LineStyle.Width = 0;
        }
        var line = plot.Add.Scatter(steps, means, color);
        line.LineWidth = 2;
        // A lone point (a run that has just started) would be invisible as a line.
        line.MarkerSize = steps.Length == 1 ? 7 : 0;
        line.LegendText = band.Seeds == 1 ? $"{band.Estimator} (1 seed)" : $"{band.Estimator} ({band.Seeds} seeds)";
    }

    /// <summary>The axis holds log10 values: put ticks on whole powers of ten and label them as such.</summary>
    private static void LabelPowersOfTen(Plot plot)
    {
        plot.Axes.Left.TickGenerator = new NumericAutomatic
        {
            IntegerTicksOnly = true,
            MinorTickGenerator = new LogMinorTickGenerator(),
            LabelFormatter = exponent => $"1e{exponent:0}",
        };
        plot.Grid.MinorLineWidth = 1;
        plot.Grid.MinorLineColor = Colors.Gray.WithAlpha(0.1);
    }
}

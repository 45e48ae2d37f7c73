using System.Globalization;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace Pwgf.Api.Series;

/// <summary>Draws one metric of a comparison with ScottPlot: a line per estimator and a shaded ± one standard error band.</summary>
public static class ComparisonPlot
{
    public const int DefaultWidth = 960;
    public const int DefaultHeight = 540;
    public const int MinWidth = 320;
    public const int MaxWidth = 2400;
    public const int MinHeight = 240;
    public const int MaxHeight = 1600;

    /// <summary>Below this width the legend goes under the plot, so that it does not squeeze the data area.</summary>
    private const int LegendBesideFrom = 640;

    /// <summary>The PNG bytes of the plot.</summary>
    public static byte[] Render(string title, MetricAxis axis, IReadOnlyList<EstimatorBand> bands, int width, int height)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        for (int i = 0; i < bands.Count; i++) Draw(plot, bands[i], palette.GetColor(i));

        plot.Title(title);
        plot.XLabel("step");
        plot.YLabel(axis.Label);
        if (axis.Logarithmic) plot.Axes.Left.TickGenerator = PowersOfTen(bands);
        plot.ShowLegend(width >= LegendBesideFrom ? Edge.Right : Edge.Bottom);
        return plot.GetImageBytes(width, height, ImageFormat.Png);
    }

    private static void Draw(Plot plot, EstimatorBand band, Color color)
    {
        double[] steps = [.. band.Points.Select(p => (double)p.Step)];
        double[] means = [.. band.Points.Select(p => p.Mean)];
        if (band.Seeds > 1)
        {
            var fill = plot.Add.FillY(steps, [.. band.Points.Select(p => p.Lower)], [.. band.Points.Select(p => p.Upper)]);
            fill.FillStyle.Color = color.WithAlpha(0.2);
            fill.LineStyle.Width = 0;
        }
        var line = plot.Add.Scatter(steps, means, color);
        line.LineWidth = 2;
        // A lone point (a run that has just started) would be invisible as a line.
        line.MarkerSize = steps.Length == 1 ? 7 : 0;
        line.LegendText = band.Seeds == 1 ? $"{band.Estimator} (1 seed)" : $"{band.Estimator} (mean of {band.Seeds} seeds ± 1 s.e.)";
    }

    /// <summary>
    /// Ticks for an axis of log10 values, labelled with the values they stand for. Over many decades only the powers
    /// of ten are labelled; over a few, also 2 and 5 times them; within one, every digit, so that a narrow range
    /// still reads.
    /// </summary>
    private static NumericManual PowersOfTen(IReadOnlyList<EstimatorBand> bands)
    {
        var points = bands.SelectMany(b => b.Points).ToList();
        double low = points.Min(p => p.Lower);
        double high = points.Max(p => p.Upper);
        double span = high - low;
        int[] labelled = span > 4 ? [1] : span > 1 ? [1, 2, 5] : [1, 2, 3, 4, 5, 6, 7, 8, 9];

        var ticks = new NumericManual();
        for (int exponent = (int)Math.Floor(low) - 1; exponent <= (int)Math.Ceiling(high) + 1; exponent++)
        {
            for (int digit = 1; digit <= 9; digit++)
            {
                double position = exponent + Math.Log10(digit);
                if (labelled.Contains(digit)) ticks.AddMajor(position, Label(digit, exponent));
                else ticks.AddMinor(position);
            }
        }
        return ticks;
    }

    private static string Label(int digit, int exponent) =>
        exponent is >= -3 and <= 4
            ? (digit * Math.Pow(10, exponent)).ToString("0.###", CultureInfo.InvariantCulture)
            : $"{digit}e{exponent}";
}

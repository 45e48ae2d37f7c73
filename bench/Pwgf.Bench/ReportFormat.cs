using System.Globalization;
using Pwgf.Api.Comparisons;
using Pwgf.Statistics;

namespace Pwgf.Bench;

/// <summary>How the experiments report writes metric names, numbers and durations.</summary>
public static class ReportFormat
{
    private static readonly IReadOnlyDictionary<string, string> Labels = new Dictionary<string, string>
    {
        ["loss"] = "final loss",
        ["parameter_mean"] = "final mean lambda",
        ["grad_relative_bias"] = "relative gradient bias",
        ["grad_log_variance"] = "ln gradient variance",
        ["test_neg_log_likelihood"] = "test NLL",
        ["valid_neg_log_likelihood"] = "valid NLL",
        ["train_neg_elbo"] = "train -ELBO",
        ["encoder_grad_variance"] = "encoder gradient variance",
    };

    public static string Label(string metric) => Labels.TryGetValue(metric, out string? label) ? label : metric;

    /// <summary>
    /// "mean ± error", the error to two significant digits and the mean to the same decimals (nothing finer than the
    /// error can resolve); five significant digits without an error.
    /// </summary>
    public static string Format(SeedSummary value) => Format(value.Mean, value.StandardError);

    /// <inheritdoc cref="Format(SeedSummary)"/>
    public static string Format(double? mean, double? standardError)
    {
        if (mean is not { } m) return "-";
        if (standardError is not { } error || !(error > 0)) return m.ToString("G5", CultureInfo.InvariantCulture);
        int decimals = Math.Clamp(1 - (int)Math.Floor(Math.Log10(error)), 0, 8);
        string format = "F" + decimals.ToString(CultureInfo.InvariantCulture);
        return $"{m.ToString(format, CultureInfo.InvariantCulture)} ± {error.ToString(format, CultureInfo.InvariantCulture)}";
    }

    /// <summary>
    /// A quantity spanning decades (a variance) summarised as log10 values: its geometric mean in scientific notation
    /// and the factor one standard error of the log multiplies and divides it by, "1.23e-03 ×/÷ 1.4".
    /// </summary>
    public static string FormatGeometric(SeedSummary log10Values)
    {
        if (log10Values.Mean is not { } mean) return "-";
        string shown = Math.Pow(10, mean).ToString("0.00e+00", CultureInfo.InvariantCulture);
        return log10Values.StandardError is { } e ? $"{shown} ×/÷ {Math.Pow(10, e).ToString("0.0#", CultureInfo.InvariantCulture)}" : shown;
    }

    /// <summary>
    /// The API's rank group as the tests read it: "1" when resolved, "1-2, not resolved" when the tests allow a range
    /// (the API writes a range as "low-high").
    /// </summary>
    public static string RankGroup(EstimatorSummary summary) =>
        summary.RankGroup is not { } group ? "-" : group.Contains('-', StringComparison.Ordinal) ? $"{group}, not resolved" : group;

    /// <summary>A p-value to two significant digits; "-" for a pair that was not tested.</summary>
    public static string PValue(double? p) => p is { } value ? value.ToString("G2", CultureInfo.InvariantCulture) : "-";

    public static string Number(double? value, string format) =>
        value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "unknown";

    public static string Percent(double fraction) => (fraction * 100).ToString("0.###", CultureInfo.InvariantCulture) + " %";

    public static string Duration(TimeSpan span) =>
        span.TotalMinutes >= 1 ? $"{(int)span.TotalMinutes} min {span.Seconds} s" : $"{span.TotalSeconds:F0} s";
}

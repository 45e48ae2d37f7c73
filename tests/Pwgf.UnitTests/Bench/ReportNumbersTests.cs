using Pwgf.Api.Comparisons;
using Pwgf.Bench;
using Pwgf.Statistics;

namespace Pwgf.UnitTests.Bench;

/// <summary>How the experiments report reads a series and writes its numbers (the statistics are Pwgf.Statistics').</summary>
public sealed class ReportNumbersTests
{
    [Fact]
    public void The_final_value_is_the_one_at_the_largest_step_whatever_the_order()
    {
        IReadOnlyList<MetricPoint> series = [new(100, 7), new(0, 1), new(50, 3)];

        Assert.Equal(7.0, MetricSeries.Final(series));
        Assert.Equal(1.0, MetricSeries.First(series));
        Assert.Null(MetricSeries.Final([]));
    }

    [Fact]
    public void A_mean_is_shown_to_the_decimals_its_error_resolves()
    {
        Assert.Equal("2.00 ± 0.58", ReportFormat.Format(SeedSummary.Of([1.0, 2.0, 3.0])));
        Assert.Equal("5", ReportFormat.Format(SeedSummary.Of([5.0])));
        Assert.Equal("-", ReportFormat.Format(SeedSummary.Of([double.NaN])));
    }

    [Fact]
    public void A_variance_is_shown_as_a_geometric_mean_with_its_multiplicative_error()
    {
        // log10 values -3 and -1: geometric mean 10^-2, one standard error of the log is 1, a factor of 10.
        Assert.Equal("1.00e-02 ×/÷ 10.0", ReportFormat.FormatGeometric(SeedSummary.Of([-3.0, -1.0])));
        Assert.Equal("1.00e-03", ReportFormat.FormatGeometric(SeedSummary.Of([-3.0])));
    }

    [Fact]
    public void A_rank_reads_as_the_group_the_api_sent()
    {
        Assert.Equal("3", ReportFormat.RankGroup(Summary(3, "3", [])));
        Assert.Equal("1-2, not resolved", ReportFormat.RankGroup(Summary(1, "1-2", ["b"])));
        Assert.Equal("-", ReportFormat.RankGroup(Summary(null, null, [])));
    }

    [Fact]
    public void A_p_value_is_shown_to_two_significant_digits_and_an_untested_pair_as_a_dash()
    {
        Assert.Equal("0.0012", ReportFormat.PValue(0.001234));
        Assert.Equal("1", ReportFormat.PValue(1));
        Assert.Equal("-", ReportFormat.PValue(null));
    }

    private static EstimatorSummary Summary(int? rank, string? group, IReadOnlyList<string> tied) =>
        new("a", "loss", 2, 2, rank is null ? null : 1.0, null, rank, null, group, tied, null, [], null);
}

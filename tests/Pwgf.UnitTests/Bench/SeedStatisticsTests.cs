using Pwgf.Bench;

namespace Pwgf.UnitTests.Bench;

/// <summary>The across-seed arithmetic of the experiments report: means, standard errors, bands and ranks.</summary>
public sealed class SeedStatisticsTests
{
    private const double Tolerance = 1e-12;

    [Fact]
    public void The_standard_error_is_the_sample_standard_deviation_over_the_square_root_of_n()
    {
        var stats = SeedStatistics.Of([1.0, 2.0, 3.0]);

        Assert.Equal(3, stats.Count);
        Assert.Equal(2.0, stats.Mean!.Value, Tolerance);
        // Sample variance 1, so the error is 1 / sqrt(3).
        Assert.Equal(1 / Math.Sqrt(3), stats.StandardError!.Value, Tolerance);
    }

    [Fact]
    public void A_diverged_value_is_left_out_and_one_value_has_no_error()
    {
        var withNaN = SeedStatistics.Of([1.0, double.NaN, 3.0, double.PositiveInfinity]);
        Assert.Equal((2, 2.0, 1.0), (withNaN.Count, withNaN.Mean!.Value, withNaN.StandardError!.Value));

        Assert.Equal(new MeanAndError(5.0, null, 1), SeedStatistics.Of([5.0]));
        Assert.Equal(new MeanAndError(null, null, 0), SeedStatistics.Of([double.NaN]));
    }

    [Fact]
    public void A_band_keeps_only_the_steps_every_seed_recorded()
    {
        IReadOnlyList<MetricPoint> first = [new(0, 1), new(10, 2), new(20, 3)];
        IReadOnlyList<MetricPoint> second = [new(0, 3), new(10, double.NaN), new(20, 5)];

        var band = SeedStatistics.Band([first, second]);

        Assert.Equal([0, 20], band.Select(p => p.Step));
        Assert.Equal(2.0, band[0].Mean, Tolerance);
        Assert.Equal(1.0, band[0].StandardError!.Value, Tolerance);
        Assert.Equal((3.0, 5.0), (band[1].Lower, band[1].Upper));
    }

    [Fact]
    public void A_band_averages_on_the_transformed_scale_so_a_log_band_is_a_geometric_mean()
    {
        IReadOnlyList<MetricPoint> small = [new(5, 10)];
        IReadOnlyList<MetricPoint> large = [new(5, 1000)];

        var band = SeedStatistics.Band([small, large], Math.Log10);

        Assert.Equal(2.0, band.Single().Mean, Tolerance);   // 10^2 = 100, the geometric mean
        Assert.Equal(1.0, band.Single().StandardError!.Value, Tolerance);
    }

    [Fact]
    public void A_single_seed_gives_a_curve_without_a_band()
    {
        var band = SeedStatistics.Band([[new MetricPoint(0, 4), new MetricPoint(1, 3)]]);

        Assert.All(band, p => Assert.Null(p.StandardError));
        Assert.Equal([4.0, 3.0], band.Select(p => p.Lower));
    }

    [Fact]
    public void Ranks_put_the_lowest_score_first_share_ties_and_skip_missing_scores()
    {
        Assert.Equal([2, 1, 2, null, 4], SeedStatistics.Ranks([3.0, 1.0, 3.0, null, 7.0]));
    }

    [Fact]
    public void The_final_value_is_the_one_at_the_largest_step_whatever_the_order()
    {
        IReadOnlyList<MetricPoint> series = [new(100, 7), new(0, 1), new(50, 3)];

        Assert.Equal(7.0, SeedStatistics.Final(series));
        Assert.Equal(1.0, SeedStatistics.First(series));
        Assert.Null(SeedStatistics.Final([]));
    }
}

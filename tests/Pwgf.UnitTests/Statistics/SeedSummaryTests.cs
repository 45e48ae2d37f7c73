using Pwgf.Statistics;

namespace Pwgf.UnitTests.Statistics;

/// <summary>Across-seed means, standard errors and bands, on values small enough to check by hand.</summary>
public sealed class SeedSummaryTests
{
    private const double Tolerance = 1e-12;

    [Fact]
    public void The_standard_error_is_the_sample_standard_deviation_over_the_square_root_of_n()
    {
        var summary = SeedSummary.Of([1.0, 2.0, 3.0]);

        // Sample variance ((1 - 2)^2 + 0 + (3 - 2)^2) / 2 = 1.
        Assert.Equal((3, 0), (summary.Count, summary.Diverged));
        Assert.Equal(2.0, summary.Mean!.Value, Tolerance);
        Assert.Equal(1.0, summary.Variance!.Value, Tolerance);
        Assert.Equal(1 / Math.Sqrt(3), summary.StandardError!.Value, Tolerance);
        Assert.True(summary.AllFinite);
    }

    [Fact]
    public void A_large_offset_does_not_swallow_the_spread()
    {
        // A one-pass sum of squares loses every digit of the spread here; deviations from the mean keep it.
        var summary = SeedSummary.Of([1e9 + 1, 1e9 + 2, 1e9 + 3]);

        Assert.Equal(1.0, summary.StandardDeviation!.Value, 1e-6);
    }

    [Fact]
    public void Diverged_values_are_counted_apart_and_one_value_has_no_spread()
    {
        var withNaN = SeedSummary.Of([1.0, double.NaN, 3.0, double.PositiveInfinity]);
        Assert.Equal((2, 2, 2.0, 1.0), (withNaN.Count, withNaN.Diverged, withNaN.Mean!.Value, withNaN.StandardError!.Value));
        Assert.False(withNaN.AllFinite);

        Assert.Equal(new SeedSummary(1, 0, 5.0, null), SeedSummary.Of([5.0]));
        Assert.Null(SeedSummary.Of([5.0]).StandardError);
        Assert.Equal(new SeedSummary(0, 1, null, null), SeedSummary.Of([double.NaN]));
        Assert.Equal(new SeedSummary(0, 0, null, null), SeedSummary.Of([]));
    }

    [Fact]
    public void Each_step_averages_the_seeds_that_have_a_value_there_and_says_how_many()
    {
        var band = SeedBand.Of(
        [
            [(0, 1.0), (10, 2.0)],
            [(0, 3.0), (10, 6.0), (20, 5.0)],   // ahead of its sibling
            [(10, double.NaN), (0, 2.0)],        // diverged at step 10, points out of order
        ]);

        Assert.Equal([0, 10, 20], band.Select(p => p.Step));
        Assert.Equal((2.0, 3), (band[0].Mean, band[0].Seeds));
        Assert.Equal(1 / Math.Sqrt(3), band[0].StandardError!.Value, Tolerance);  // values 1, 3, 2: sd 1
        Assert.Equal((4.0, 2), (band[1].Mean, band[1].Seeds));
        Assert.Equal(2.0, band[1].StandardError!.Value, Tolerance);              // values 2, 6: sd 2 sqrt 2, over sqrt 2
        Assert.Equal((5.0, 1, (double?)null), (band[2].Mean, band[2].Seeds, band[2].StandardError));
        Assert.Equal((5.0, 5.0), (band[2].Lower, band[2].Upper));
    }

    [Fact]
    public void Of_repeated_steps_in_one_seed_the_last_counts_once()
    {
        var band = SeedBand.Of([[(5, 1.0), (5, 7.0)], [(5, 3.0)]]);

        Assert.Equal((5.0, 2), (band.Single().Mean, band.Single().Seeds));
    }

    [Fact]
    public void A_log_band_is_a_geometric_mean_with_a_multiplicative_band()
    {
        var band = SeedBand.Of([[(0, 10.0)], [(0, 1000.0)], [(0, 0.0)]], SeedScales.Log10);

        // log10 values 1 and 3 (0 cannot be shown on a log scale): mean 2, so the geometric mean 100; sd sqrt 2.
        var point = band.Single();
        Assert.Equal((2.0, 2), (point.Mean, point.Seeds));
        Assert.Equal(1.0, point.StandardError!.Value, Tolerance);
        Assert.Equal(10.0, Math.Pow(10, point.Upper) / Math.Pow(10, point.Mean), 1e-9);
    }

    [Fact]
    public void A_value_stored_as_a_natural_log_is_rescaled_not_logged_again()
    {
        Assert.Equal(2.0, SeedScales.Log10OfNaturalLog(Math.Log(100))!.Value, Tolerance);
        Assert.Equal(-1.0, SeedScales.Log10OfNaturalLog(Math.Log(0.1))!.Value, Tolerance);
        Assert.Null(SeedScales.Log10OfNaturalLog(double.NegativeInfinity));
        Assert.Null(SeedScales.Log10(-1));
        Assert.Null(SeedScales.Linear(double.NaN));
        Assert.Equal(-2.5, SeedScales.Linear(-2.5));
    }
}

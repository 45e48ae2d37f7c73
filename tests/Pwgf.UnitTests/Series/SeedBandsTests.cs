using Pwgf.Api.Series;

namespace Pwgf.UnitTests.Series;

/// <summary>The across-seed statistics and axis scales behind the PNG plots.</summary>
public sealed class SeedBandsTests
{
    private static IReadOnlyList<MetricPointDto> Points(params (int Step, double Value)[] points) =>
        [.. points.Select(p => new MetricPointDto(p.Step, p.Value))];

    [Fact]
    public void Each_step_averages_the_seeds_that_recorded_it_with_the_standard_error_of_the_mean()
    {
        var runs = new List<(string, IReadOnlyList<MetricPointDto>)>
        {
            ("st", Points((0, 1), (10, 2))),
            ("st", Points((0, 3), (10, 6), (20, 5))), // ahead of its sibling
            ("pwgf", Points((0, 4))),
            ("pwgf", Points()),                        // not started
        };

        var bands = SeedBands.Across(["st", "pwgf", "reinforce"], runs, v => v);

        Assert.Equal(["st", "pwgf"], bands.Select(b => b.Estimator));
        var st = bands[0];
        Assert.Equal(2, st.Seeds);
        Assert.Equal([0, 10, 20], st.Points.Select(p => p.Step));
        Assert.Equal((2.0, (double?)1.0, 2), (st.Points[0].Mean, st.Points[0].StandardError, st.Points[0].Seeds)); // sd sqrt(2), / sqrt(2)
        Assert.Equal((4.0, (double?)2.0), (st.Points[1].Mean, st.Points[1].StandardError));
        Assert.Equal((5.0, (double?)null, 1), (st.Points[2].Mean, st.Points[2].StandardError, st.Points[2].Seeds)); // one seed, no band
        Assert.Equal(1, bands[1].Seeds);
    }

    [Fact]
    public void Variance_metrics_go_on_a_log10_axis_and_values_it_cannot_show_are_left_out()
    {
        var raw = MetricScale.For("encoder_grad_variance");
        Assert.True(raw.Logarithmic);
        Assert.Equal(-3, raw.ToAxis(1e-3)!.Value, 12);
        Assert.Null(raw.ToAxis(0));
        Assert.Null(raw.ToAxis(double.NaN));

        // grad_log_variance stores ln(variance): rescaled to log10, not logged again.
        var natural = MetricScale.For("grad_log_variance");
        Assert.True(natural.Logarithmic);
        Assert.Equal(2, natural.ToAxis(Math.Log(100))!.Value, 12);
        Assert.Equal(-1, natural.ToAxis(Math.Log(0.1))!.Value, 12);

        var loss = MetricScale.For("loss");
        Assert.False(loss.Logarithmic);
        Assert.Equal(-2.5, loss.ToAxis(-2.5));
        Assert.Null(loss.ToAxis(double.PositiveInfinity));

        var bands = SeedBands.Across(["st"], [("st", Points((0, 1e-2), (1, 0), (2, double.NaN), (3, 1e2)))], raw.ToAxis);
        Assert.Equal([(0, -2.0), (3, 2.0)], bands[0].Points.Select(p => (p.Step, p.Mean)));
    }
}

using Pwgf.Api.Series;
using Pwgf.Training;

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
    public void The_axis_follows_the_metric_definition_and_never_the_metric_name()
    {
        // Names chosen to mislead a guess from the name: only the declared scale may decide.
        var logScale = MetricAxis.For(new MetricDefinition("spread", "Spread", "", MetricScale.Log, true, "A positive spread."));
        Assert.True(logScale.Logarithmic);
        Assert.Equal("log10", logScale.Units);
        Assert.Equal("Spread, log scale", logScale.Label);
        Assert.Equal(-3, logScale.ToAxis(1e-3)!.Value, 12);
        Assert.Null(logScale.ToAxis(0));
        Assert.Null(logScale.ToAxis(-1));
        Assert.Null(logScale.ToAxis(double.NaN));

        // Stored as ln of the quantity: rescaled to log10, not logged again (ln 100 is 2 decades, ln 0.1 is -1).
        var natural = MetricAxis.For(new MetricDefinition("ln_spread", "Spread", "", MetricScale.NaturalLog, true, "ln of a spread."));
        Assert.True(natural.Logarithmic);
        Assert.Equal(2, natural.ToAxis(4.605170185988092)!.Value, 12);
        Assert.Equal(-1, natural.ToAxis(-2.302585092994046)!.Value, 12);
        Assert.Equal(-7.5, natural.ToAxis(-7.5 * 2.302585092994046)!.Value, 12); // negative logs are fine values

        var linear = MetricAxis.For(new MetricDefinition("weight_variance", "Weight", "nats", MetricScale.Linear, null, "As stored."));
        Assert.False(linear.Logarithmic);
        Assert.Equal("linear", linear.Units);
        Assert.Equal("Weight (nats)", linear.Label);
        Assert.Equal(-2.5, linear.ToAxis(-2.5));
        Assert.Equal(0, linear.ToAxis(0));
        Assert.Null(linear.ToAxis(double.PositiveInfinity));
    }

    [Fact]
    public void The_service_metrics_get_the_axis_of_their_declared_scale()
    {
        // Pinned here from the metrics' meaning: grad_log_variance stores ln of a variance, encoder_grad_variance a
        // variance, the rest are drawn as stored.
        Assert.Equal("log10", AxisOf("poisson-toy", "grad_log_variance").Units);
        Assert.Equal(2, AxisOf("poisson-toy", "grad_log_variance").ToAxis(Math.Log(100))!.Value, 12);
        Assert.Equal("log10", AxisOf("bernoulli-vae", "encoder_grad_variance").Units);
        Assert.Equal(-3, AxisOf("bernoulli-vae", "encoder_grad_variance").ToAxis(1e-3)!.Value, 12);
        foreach (var (task, metric) in new[] { ("poisson-toy", "loss"), ("bernoulli-toy", "grad_cosine"), ("bernoulli-vae", "test_neg_log_likelihood") })
        {
            Assert.Equal("linear", AxisOf(task, metric).Units);
        }

        var bands = SeedBands.Across(["st"], [("st", Points((0, 1e-2), (1, 0), (2, double.NaN), (3, 1e2)))],
            AxisOf("bernoulli-vae", "encoder_grad_variance").ToAxis);
        Assert.Equal([(0, -2.0), (3, 2.0)], bands[0].Points.Select(p => (p.Step, p.Mean)));
    }

    private static MetricAxis AxisOf(string task, string metric) => MetricAxis.For(TaskRegistry.FindMetric(task, metric)!);
}

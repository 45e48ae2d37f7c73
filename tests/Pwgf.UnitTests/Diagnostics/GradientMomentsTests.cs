using Pwgf.Estimators.Diagnostics;
using static TorchSharp.torch;

namespace Pwgf.UnitTests.Diagnostics;

public sealed class GradientMomentsTests
{
    [Fact]
    public void Identical_rows_have_exactly_zero_variance_and_their_own_mean()
    {
        // Values whose mean does not round back to themselves when summed and divided (0.1 * 3 != 0.3 in binary):
        // an exact estimator gives such rows, and its variance must be 0, not the rounding error of the mean.
        double[] row = [0.1, -7.3e5, 1.0 / 3.0, 2.718281828459045];
        using var rows = tensor(row, float64).unsqueeze(0).expand(1000, -1).contiguous();

        var moments = GradientMoments.Of(rows);

        Assert.All(moments.Variance, variance => Assert.Equal(0.0, variance));
        Assert.Equal(row, moments.Mean);
    }

    [Fact]
    public void Rows_that_differ_keep_the_textbook_variance()
    {
        // Reference by hand: rows (1, 10), (2, 10), (6, 13) -> means (3, 11), unbiased variances (7, 3).
        using var rows = tensor(new double[] { 1, 10, 2, 10, 6, 13 }, float64).reshape(3, 2);

        var moments = GradientMoments.Of(rows);

        Assert.Equal([3.0, 11.0], moments.Mean.Select(m => Math.Round(m, 12)));
        Assert.Equal([7.0, 3.0], moments.Variance.Select(v => Math.Round(v, 12)));
    }
}

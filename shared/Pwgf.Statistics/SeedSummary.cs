namespace Pwgf.Statistics;

/// <summary>
/// One quantity across the seeds of an estimator: the same experiment repeated with different seeds, so the values
/// are independent draws and their spread is the run-to-run noise.
/// A value that is not finite (NaN or an infinity: a run that diverged) carries no number to average. It is counted
/// in <see cref="Diverged"/> and left out of the moments, so the caller decides how to show a diverged seed (the
/// comparison summary reports the mean as NaN, the experiments report shows the finite seeds' mean and the count);
/// every ranking puts an estimator with a diverged seed after the ones without (see <see cref="Pairwise"/>).
/// </summary>
/// <param name="Count">Finite values, the ones the moments are taken over.</param>
/// <param name="Diverged">Values left out because they are not finite.</param>
/// <param name="Mean">Mean of the finite values; null when there are none.</param>
/// <param name="Variance">Sample variance (divisor n - 1); null below two finite values.</param>
public sealed record SeedSummary(int Count, int Diverged, double? Mean, double? Variance)
{
    /// <summary>Standard error of <see cref="Mean"/>: the sample standard deviation over sqrt(n); null below two values.</summary>
    public double? StandardError => Variance is { } v ? Math.Sqrt(v / Count) : null;

    /// <summary>Sample standard deviation; null below two finite values.</summary>
    public double? StandardDeviation => Variance is { } v ? Math.Sqrt(v) : null;

    /// <summary>Every seed gave a number, and at least one did.</summary>
    public bool AllFinite => Count > 0 && Diverged == 0;

    public static SeedSummary Of(IEnumerable<double> values)
    {
        int diverged = 0;
        var finite = new List<double>();
        foreach (double value in values)
        {
            if (double.IsFinite(value)) finite.Add(value);
            else diverged++;
        }
        if (finite.Count == 0) return new SeedSummary(0, diverged, null, null);

        // Two passes: the deviations are taken from the mean, so a large offset does not cancel the spread.
        double mean = finite.Average();
        if (finite.Count == 1) return new SeedSummary(1, diverged, mean, null);
        double squares = finite.Sum(x => (x - mean) * (x - mean));
        return new SeedSummary(finite.Count, diverged, mean, squares / (finite.Count - 1));
    }
}

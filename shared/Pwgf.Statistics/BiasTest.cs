using MathNet.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace Pwgf.Statistics;

/// <summary>A test of "the estimator's mean is the exact gradient".</summary>
/// <param name="Method"><see cref="BiasTest.Hotelling"/> or <see cref="BiasTest.DiagonalChiSquare"/>.</param>
/// <param name="Statistic">Hotelling's T^2, or the chi-square sum of squared standardised differences; +infinity
/// when a coordinate without any spread differs from the exact value (that bias is certain).</param>
/// <param name="DegreesOfFreedom">Directions tested: the rank of the sample covariance (Hotelling) or the coordinates
/// with spread (chi-square). 0 when nothing varies and nothing differs; the p-value is 1 then.</param>
/// <param name="DenominatorDegreesOfFreedom">Hotelling only: samples minus tested directions, the F law's second
/// degrees of freedom; null for the chi-square.</param>
/// <param name="PValue">Probability of a statistic at least this large if the estimator were unbiased.</param>
public sealed record BiasTestResult(string Method, double Statistic, int DegreesOfFreedom, int? DenominatorDegreesOfFreedom, double PValue);

/// <summary>
/// Tests of zero bias for M independent per-sample gradient estimates g_1..g_M in R^d against the exact gradient
/// g*. The exact gradient is computed, not estimated, so it enters as the known mean of a one-sample test: the
/// difference D = mean(g) - g* is judged against the estimated covariance of mean(g), S / M.
/// <list type="bullet">
/// <item><b>Hotelling's T^2</b> (used when the covariance is kept and M &gt;= <see cref="SamplesPerDirection"/> x d):
/// T^2 = M D' S^+ D over the r directions in which the samples vary, and (M - r) / (r (M - 1)) T^2 follows
/// F(r, M - r) under zero bias. It accounts for correlated coordinates (one f value drives every coordinate of a
/// score-function estimate) and for directions without spread (a categorical gradient's coordinates sum to 0).</item>
/// <item><b>Chi-square on the whitened difference</b> (otherwise: too few samples to estimate a d x d covariance well,
/// or d above <see cref="SampleMoments.MaxCovarianceWidth"/>): X^2 = sum_i D_i^2 / SE_i^2 over the coordinates that
/// vary, referred to chi-square with that many degrees of freedom. Exact when the coordinates are uncorrelated;
/// with correlated coordinates its mean is still right but its tail is not, so it is an approximation.</item>
/// </list>
/// Both need M large enough for the mean to be nearly normal; the audit draws thousands.
/// </summary>
public static class BiasTest
{
    public const string Hotelling = "hotelling-t2";
    public const string DiagonalChiSquare = "diagonal-chi-square";

    /// <summary>Hotelling's test is used when there are at least this many samples per coordinate.</summary>
    public const int SamplesPerDirection = 10;

    /// <summary>
    /// Spread below this fraction of the values' own size is rounding, not noise: an exact estimator repeats one
    /// number M times and its "variance" is the square of a few ulps.
    /// </summary>
    private const double RelativeRounding = 1e-10;

    public static BiasTestResult Run(IReadOnlyList<double> exact, SampleMoments moments) =>
        moments.HasCovariance && moments.Count >= SamplesPerDirection * moments.Width
            ? RunHotelling(exact, moments)
            : RunDiagonalChiSquare(exact, moments);

    internal static BiasTestResult RunHotelling(IReadOnlyList<double> exact, SampleMoments moments)
    {
        int m = moments.Count;
        var difference = Vector<double>.Build.DenseOfEnumerable(moments.Mean.Select((x, i) => x - exact[i]));
        var covariance = Matrix<double>.Build.DenseOfArray(moments.Covariance);
        var evd = covariance.Evd(Symmetricity.Symmetric);
        double scale = Scale(exact, moments.Mean);
        double largest = evd.EigenValues.Select(e => e.Real).DefaultIfEmpty(0).Max();
        double floor = Math.Max(RelativeRounding * largest, Math.Pow(RelativeRounding * scale, 2));

        double t2 = 0;
        int rank = 0;
        var unexplained = difference.Clone();
        for (int k = 0; k < moments.Width; k++)
        {
            double eigenvalue = evd.EigenValues[k].Real;
            if (!(eigenvalue > floor)) continue;
            var direction = evd.EigenVectors.Column(k);
            double along = direction.DotProduct(difference);
            t2 += m * along * along / eigenvalue;
            unexplained -= along * direction;
            rank++;
        }
        if (unexplained.L2Norm() > RelativeRounding * scale * Math.Sqrt(moments.Width) + double.Epsilon)
        {
            return new BiasTestResult(Hotelling, double.PositiveInfinity, rank, m - rank, 0);
        }
        if (rank == 0) return new BiasTestResult(Hotelling, 0, 0, m, 1);
        if (m <= rank) throw new ArgumentException($"Hotelling's test needs more samples ({m}) than directions ({rank}).", nameof(moments));
        double f = t2 * (m - rank) / ((double)rank * (m - 1));
        // P(F >= f) for F(r, M - r), as a regularised incomplete beta so that tiny p-values keep their digits.
        double p = SpecialFunctions.BetaRegularized((m - rank) / 2.0, rank / 2.0, (m - rank) / (m - rank + rank * f));
        return new BiasTestResult(Hotelling, t2, rank, m - rank, p);
    }

    internal static BiasTestResult RunDiagonalChiSquare(IReadOnlyList<double> exact, SampleMoments moments)
    {
        var mean = moments.Mean;
        var variance = moments.Variance;
        double scale = Scale(exact, mean);
        double largest = variance.DefaultIfEmpty(0).Max();
        double floor = Math.Max(RelativeRounding * largest, Math.Pow(RelativeRounding * scale, 2));
        double statistic = 0;
        int freedom = 0;
        bool certain = false;
        for (int i = 0; i < moments.Width; i++)
        {
            double difference = mean[i] - exact[i];
            if (variance[i] > floor)
            {
                statistic += difference * difference / (variance[i] / moments.Count);
                freedom++;
            }
            else
            {
                certain |= Math.Abs(difference) > RelativeRounding * scale + double.Epsilon;
            }
        }
        if (certain) return new BiasTestResult(DiagonalChiSquare, double.PositiveInfinity, freedom, null, 0);
        if (freedom == 0) return new BiasTestResult(DiagonalChiSquare, 0, 0, null, 1);
        return new BiasTestResult(DiagonalChiSquare, statistic, freedom, null, SpecialFunctions.GammaUpperRegularized(freedom / 2.0, statistic / 2));
    }

    /// <summary>The size of the numbers compared, to tell rounding from signal.</summary>
    private static double Scale(IReadOnlyList<double> exact, IReadOnlyList<double> mean) =>
        Math.Max(exact.Select(Math.Abs).DefaultIfEmpty(0).Max(), mean.Select(Math.Abs).DefaultIfEmpty(0).Max());
}

using MathNet.Numerics;

namespace Pwgf.Statistics;

/// <summary>Welch's two-sample t-test of one estimator's mean against another's.</summary>
/// <param name="MeanDifference">First mean minus second.</param>
/// <param name="StandardError">sqrt(se1^2 + se2^2), the standard error of the difference.</param>
/// <param name="DegreesOfFreedom">The Welch-Satterthwaite degrees of freedom.</param>
/// <param name="Statistic">t = difference / standard error.</param>
/// <param name="PValue">Two-sided p-value.</param>
public sealed record WelchResult(double MeanDifference, double StandardError, double DegreesOfFreedom, double Statistic, double PValue);

/// <summary>
/// Welch's t-test: equal means, variances not assumed equal (two estimators' seeds rarely spread alike). The
/// two-sided p-value P(|T| >= |t|) for T ~ Student t with nu degrees of freedom is the regularised incomplete beta
/// function I_{nu / (nu + t^2)}(nu / 2, 1 / 2), which keeps its precision far into the tail where 1 - CDF would
/// round to 0.
/// </summary>
public static class WelchTest
{
    /// <summary>Null unless both have at least two values and no diverged seed.</summary>
    public static WelchResult? Compare(SeedSummary first, SeedSummary second)
    {
        if (!first.AllFinite || !second.AllFinite || first.Count < 2 || second.Count < 2) return null;
        double a = first.Variance!.Value / first.Count, b = second.Variance!.Value / second.Count;
        double difference = first.Mean!.Value - second.Mean!.Value;
        double standardError = Math.Sqrt(a + b);
        if (standardError == 0)
        {
            // No spread on either side: the difference is known exactly, so it is either certain or nothing.
            double pooled = first.Count + second.Count - 2;
            return difference == 0
                ? new WelchResult(0, 0, pooled, 0, 1)
                : new WelchResult(difference, 0, pooled, Math.CopySign(double.PositiveInfinity, difference), 0);
        }
        double freedom = (a + b) * (a + b) / (a * a / (first.Count - 1) + b * b / (second.Count - 1));
        double t = difference / standardError;
        return new WelchResult(difference, standardError, freedom, t, TwoSidedP(t, freedom));
    }

    /// <summary>P(|T| >= |t|) for Student's t with the given degrees of freedom.</summary>
    public static double TwoSidedP(double t, double freedom) =>
        double.IsInfinity(t) ? 0 : SpecialFunctions.BetaRegularized(freedom / 2, 0.5, freedom / (freedom + t * t));
}

/// <summary>
/// Holm's step-down adjustment: it controls the chance of any false rejection among m tests at alpha, like
/// Bonferroni, but rejects more. Sorted ascending, the k-th smallest p-value (k from 1) is multiplied by m - k + 1,
/// the running maximum keeps the adjusted values in the same order, and 1 caps them.
/// </summary>
public static class Holm
{
    /// <returns>Adjusted p-values in the order given.</returns>
    public static double[] Adjust(IReadOnlyList<double> pValues)
    {
        int m = pValues.Count;
        var order = Enumerable.Range(0, m).OrderBy(i => pValues[i]).ToArray();
        var adjusted = new double[m];
        double runningMax = 0;
        for (int k = 0; k < m; k++)
        {
            runningMax = Math.Max(runningMax, Math.Min(1, (m - k) * pValues[order[k]]));
            adjusted[order[k]] = runningMax;
        }
        return adjusted;
    }
}

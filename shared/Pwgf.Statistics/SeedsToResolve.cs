using MathNet.Numerics.Distributions;

namespace Pwgf.Statistics;

/// <summary>
/// How many seeds per estimator a two-sided Welch test needs to detect a given gap with a given power.
/// With s1, s2 the two standard deviations, delta the gap and n seeds each, the difference's standard error is
/// sqrt((s1^2 + s2^2) / n), and the usual approximation to the power of a t-test gives
/// <c>n = (t(1 - alpha/2, nu) + t(power, nu))^2 (s1^2 + s2^2) / delta^2</c>,
/// where t(q, nu) is Student's quantile and nu = (n - 1)(s1^2 + s2^2)^2 / (s1^4 + s2^4) the Welch degrees of freedom
/// at n seeds each. The answer is the smallest integer n >= 2 that satisfies the inequality n >= right-hand side;
/// the right-hand side falls as n grows, so a bisection finds it.
/// </summary>
public static class SeedsToResolve
{
    /// <summary>Null when the gap is 0 or not finite (no number of seeds resolves it) or a deviation is unknown.</summary>
    public static int? Estimate(double? firstDeviation, double? secondDeviation, double gap, double alpha, double power)
    {
        if (firstDeviation is not { } s1 || secondDeviation is not { } s2) return null;
        gap = Math.Abs(gap);
        if (!(gap > 0) || !double.IsFinite(gap)) return null;
        ArgumentOutOfRangeException.ThrowIfNotEqual(alpha is > 0 and < 1, true, nameof(alpha));
        ArgumentOutOfRangeException.ThrowIfNotEqual(power is > 0.5 and < 1, true, nameof(power));
        double variance = s1 * s1 + s2 * s2;
        if (variance == 0) return 2;
        double freedomPerSeed = variance * variance / (Math.Pow(s1, 4) + Math.Pow(s2, 4));

        double Needed(double n)
        {
            double freedom = (n - 1) * freedomPerSeed;
            double quantiles = StudentT.InvCDF(0, 1, freedom, 1 - alpha / 2) + StudentT.InvCDF(0, 1, freedom, power);
            return quantiles * quantiles * variance / (gap * gap);
        }

        // Needed(n) falls with n towards its limit for normal quantiles, so the answer lies between 2 and the first
        // doubling of that limit that satisfies it.
        long low = 2;
        if (Needed(low) <= low) return 2;
        double normalQuantiles = Normal.InvCDF(0, 1, 1 - alpha / 2) + Normal.InvCDF(0, 1, power);
        double normalLimit = normalQuantiles * normalQuantiles * variance / (gap * gap);
        long high = (long)Math.Clamp(Math.Ceiling(2 * normalLimit), 3, int.MaxValue);
        while (Needed(high) > high)
        {
            if (high >= int.MaxValue) return int.MaxValue;
            high *= 2;
        }
        while (high - low > 1)
        {
            long middle = (low + high) / 2;
            if (Needed(middle) <= middle) high = middle;
            else low = middle;
        }
        return (int)Math.Min(high, int.MaxValue);
    }
}

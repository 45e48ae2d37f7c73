namespace Pwgf.Statistics;

/// <summary>How far an estimator's mean is from the exact gradient once Monte Carlo noise is accounted for.</summary>
/// <param name="BiasTest">The test of zero bias.</param>
/// <param name="RelativeBias">||D|| / ||exact||, D = mean - exact, uncorrected: it includes the noise of the mean.</param>
/// <param name="RelativeBiasCorrected">sqrt(max(0, ||D||^2 - sum_i SE_i^2)) / ||exact||.</param>
/// <param name="RelativeBiasUpper95">Upper 95 % confidence bound on the true ||bias|| / ||exact||.</param>
/// <param name="CosineSimilarity">Cosine between mean and exact; null when it would mostly show noise.</param>
/// <param name="CosineSimilarityUnavailable">Why the cosine is null: <see cref="GradientBias.OneDimensional"/>,
/// <see cref="GradientBias.ExactNotResolved"/> or <see cref="GradientBias.ZeroMean"/>; null when it is given.</param>
/// <param name="MeanVariance">Mean over coordinates of the per-sample variance.</param>
/// <param name="NoiseNorm">sqrt(sum_i SE_i^2): how long D is expected to be from noise alone.</param>
public sealed record GradientBiasAssessment(
    BiasTestResult BiasTest,
    double? RelativeBias,
    double? RelativeBiasCorrected,
    double? RelativeBiasUpper95,
    double? CosineSimilarity,
    string? CosineSimilarityUnavailable,
    double MeanVariance,
    double NoiseNorm);

/// <summary>
/// The bias statistics of a gradient audit, the same for the diagnostics endpoint and the toy tasks' metrics.
/// <para>
/// The mean of M estimates misses the exact gradient by bias plus noise, and E||D||^2 = ||bias||^2 + sum_i SE_i^2:
/// the uncorrected ||D|| / ||exact|| is mostly noise wherever the gradient is small against the standard errors,
/// as near an optimum. Subtracting the noise's expected share gives an unbiased estimate of ||bias||^2, clipped at 0.
/// </para>
/// <para>
/// The upper bound inverts the law of W = ||D||^2. With the mean's covariance C = S / M (eigenvalues c_k),
/// W = sum_k c_k (Z_k + b_k / sqrt(c_k))^2, a weighted noncentral chi-square; matching its first two central
/// moments (Satterthwaite) gives W / a ~ chi2_nu(||bias||^2 / a) with a = sum c_k^2 / sum c_k and
/// nu = (sum c_k)^2 / sum c_k^2, exact when C is a multiple of the identity. The bound is sqrt(a delta_U), where
/// delta_U is the noncentrality at which P(chi2_nu(delta) &lt;= W / a) falls to 5 %
/// (<see cref="NoncentralChiSquared.UpperNoncentrality"/>). Its coverage is checked by simulation in the tests.
/// Without the full covariance (d above <see cref="SampleMoments.MaxCovarianceWidth"/>) sum c_k^2 is taken from the
/// variances alone, as if the coordinates were uncorrelated.
/// </para>
/// </summary>
public static class GradientBias
{
    public const string OneDimensional = "one-dimensional";
    public const string ExactNotResolved = "exact-gradient-not-resolved";
    public const string ZeroMean = "zero-mean";

    /// <summary>Norms below this count as zero.</summary>
    public const double ZeroNorm = 1e-12;

    /// <summary>The exact gradient is resolved when its norm is at least this many noise norms.</summary>
    public const double ResolvedNoiseNorms = 3;

    public const double Confidence = 0.95;

    public static GradientBiasAssessment Assess(IReadOnlyList<double> exact, SampleMoments moments)
    {
        if (exact.Count != moments.Width) throw new ArgumentException($"Expected {moments.Width} exact values, got {exact.Count}.", nameof(exact));
        if (moments.Count < 2) throw new ArgumentException("A variance needs at least two samples.", nameof(moments));
        var mean = moments.Mean;
        var variance = moments.Variance;
        int m = moments.Count;

        double exactNorm = Norm(exact), meanNorm = Norm(mean);
        double squaredDistance = mean.Select((x, i) => (x - exact[i]) * (x - exact[i])).Sum();
        double noiseTrace = variance.Sum() / m;                       // sum_i SE_i^2 = trace of C
        double noiseTraceOfSquare = NoiseTraceOfSquare(moments);     // trace of C^2
        double noiseNorm = Math.Sqrt(noiseTrace);

        double? relative = null, corrected = null, upper = null;
        if (exactNorm >= ZeroNorm)
        {
            relative = Math.Sqrt(squaredDistance) / exactNorm;
            corrected = Math.Sqrt(Math.Max(0, squaredDistance - noiseTrace)) / exactNorm;
            upper = UpperBiasNorm(squaredDistance, noiseTrace, noiseTraceOfSquare) / exactNorm;
        }

        string? unavailable =
            moments.Width == 1 ? OneDimensional
            : exactNorm < ZeroNorm || exactNorm < ResolvedNoiseNorms * noiseNorm ? ExactNotResolved
            : meanNorm < ZeroNorm ? ZeroMean
            : null;
        double? cosine = unavailable is null ? Dot(mean, exact) / (meanNorm * exactNorm) : null;

        return new GradientBiasAssessment(BiasTest.Run(exact, moments), relative, corrected, upper, cosine, unavailable,
            variance.Average(), noiseNorm);
    }

    /// <summary>The upper confidence bound on ||bias|| from W = ||D||^2 (see the class summary).</summary>
    internal static double UpperBiasNorm(double squaredDistance, double noiseTrace, double noiseTraceOfSquare)
    {
        if (!(noiseTrace > 0) || !(noiseTraceOfSquare > 0)) return Math.Sqrt(squaredDistance); // no noise: D is the bias
        double a = noiseTraceOfSquare / noiseTrace;
        double freedom = noiseTrace * noiseTrace / noiseTraceOfSquare;
        double delta = NoncentralChiSquared.UpperNoncentrality(squaredDistance / a, freedom, 1 - Confidence);
        return Math.Sqrt(a * delta);
    }

    private static double NoiseTraceOfSquare(SampleMoments moments)
    {
        double m2 = (double)moments.Count * moments.Count;
        if (!moments.HasCovariance) return moments.Variance.Sum(v => v * v) / m2;
        var covariance = moments.Covariance;
        double sum = 0;
        foreach (double c in covariance) sum += c * c;
        return sum / m2;
    }

    private static double Dot(IReadOnlyList<double> a, IReadOnlyList<double> b) => a.Select((x, i) => x * b[i]).Sum();

    private static double Norm(IReadOnlyList<double> a) => Math.Sqrt(Dot(a, a));
}

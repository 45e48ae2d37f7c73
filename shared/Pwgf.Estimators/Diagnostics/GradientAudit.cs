using System.Diagnostics;
using Pwgf.Estimators.Families;
using Pwgf.Estimators.Objectives;
using Pwgf.Statistics;
using static TorchSharp.torch;

namespace Pwgf.Estimators.Diagnostics;

/// <summary>
/// How one estimator's per-sample gradient compares with the exact gradient at one parameter point. Vectors are
/// flattened dimension-major (categorical: K entries per dimension), gradients taken with respect to the logits or
/// log-rates. The bias statistics are <see cref="GradientBias.Assess"/>'s, the ones the toy tasks record too.
/// </summary>
/// <param name="Exact">The exact gradient of E[f].</param>
/// <param name="Mean">Mean of the per-sample estimates.</param>
/// <param name="Variance">Unbiased sample variance of the per-sample estimates, per coordinate.</param>
/// <param name="StandardError">Standard error of <paramref name="Mean"/>: sqrt(variance / samples).</param>
/// <param name="Bias">Mean minus exact.</param>
/// <param name="RelativeBias">||bias|| / ||exact||, noise included; null when the exact gradient is (numerically) zero.</param>
/// <param name="CosineSimilarity">Cosine of the angle between mean and exact; null when <see cref="CosineSimilarityUnavailable"/> says why.</param>
/// <param name="Evaluations">Evaluations of f per example that the estimator spends.</param>
/// <param name="Samples">Per-sample estimates drawn.</param>
/// <param name="BiasTest">The test of zero bias (see <see cref="Statistics.BiasTest"/>).</param>
/// <param name="RelativeBiasCorrected">sqrt(max(0, ||mean - exact||^2 - sum_i SE_i^2)) / ||exact||; null when the exact gradient is zero.</param>
/// <param name="RelativeBiasUpper95">Upper 95 % confidence bound on the true relative bias; null when the exact gradient is zero.</param>
/// <param name="CosineSimilarityUnavailable">Why the cosine is null (see <see cref="GradientBias"/>), or null.</param>
/// <param name="MeanVariance">Mean over coordinates of <paramref name="Variance"/>.</param>
/// <param name="SecondsPerEstimate">Measured wall time of drawing one per-sample estimate (surrogate and its gradient).</param>
public sealed record GradientAuditResult(
    IReadOnlyList<double> Exact,
    IReadOnlyList<double> Mean,
    IReadOnlyList<double> Variance,
    IReadOnlyList<double> StandardError,
    IReadOnlyList<double> Bias,
    double? RelativeBias,
    double? CosineSimilarity,
    int Evaluations,
    int Samples,
    BiasTestResult BiasTest,
    double? RelativeBiasCorrected,
    double? RelativeBiasUpper95,
    string? CosineSimilarityUnavailable,
    double MeanVariance,
    double SecondsPerEstimate)
{
    /// <summary>Mean variance x evaluations of f per estimate: the variance at equal numbers of f evaluations.</summary>
    public double WorkNormalizedVariance => MeanVariance * Evaluations;

    /// <summary>Mean variance x seconds per estimate: the variance at equal compute time on this machine.</summary>
    public double TimeNormalizedVariance => MeanVariance * SecondsPerEstimate;
}

/// <summary>
/// Draws many per-sample gradient estimates at one point and summarises them against the exact gradient.
/// Samples are drawn in chunks so that memory stays bounded whatever the sample count, and one generator runs
/// through all chunks so the result depends on the seed alone.
/// </summary>
public static class GradientAudit
{
    /// <summary>
    /// Numbers a chunk may leave in its dispose scope (parameters, samples, intermediates, gradients). 2^22 float64
    /// numbers are 32 MiB; with autograd's own buffers a chunk peaks at a few hundred MiB, and on CPU larger chunks
    /// were no faster (st, reinforce-loo and categorical st, 10^6 samples).
    /// </summary>
    public const long DefaultChunkNumbers = 1 << 22;

    /// <summary>Rows of the probe that measures what one row of an estimator materialises.</summary>
    private const int ProbeRows = 16;

    /// <param name="family">The latent family the parameters belong to.</param>
    /// <param name="point">dims values (Bernoulli logits, Poisson log-rates) or dims x classes categorical logits.</param>
    /// <param name="dims">Latent dimensions.</param>
    /// <param name="classes">Classes per dimension; 1 for Bernoulli and Poisson.</param>
    /// <param name="objective">f, with its exact expectation.</param>
    /// <param name="estimator">The estimator under audit; it is only called, never tuned.</param>
    /// <param name="samples">Per-sample estimates to draw, at least 2.</param>
    /// <param name="seed">Seed of the one generator used for all of them.</param>
    /// <param name="chunkNumbers">Upper bound on the numbers one chunk leaves in its dispose scope.</param>
    /// <param name="cancellationToken">Checked between chunks.</param>
    public static GradientAuditResult Run(
        LatentFamily family,
        IReadOnlyList<double> point,
        int dims,
        int classes,
        IExactObjective objective,
        IGradientEstimator estimator,
        int samples,
        ulong seed,
        long chunkNumbers = DefaultChunkNumbers,
        CancellationToken cancellationToken = default)
    {
        long[] pointShape = CheckArguments(family, point, dims, classes, estimator, samples, chunkNumbers);
        int width = point.Count;
        int rowsPerChunk = RowsPerChunk(point, pointShape, objective, estimator, samples, chunkNumbers);

        var exact = ExactGradient(family, point, pointShape, objective);
        var moments = new SampleMoments(width);
        var drawing = new Stopwatch();
        using var generator = new Generator(seed);
        while (moments.Count < samples)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int rows = Math.Min(rowsPerChunk, samples - moments.Count);
            using var scope = NewDisposeScope();
            // Only the estimator's own work is timed: folding the rows into the moments costs the same for all.
            drawing.Start();
            var perSample = PerSampleGradients(point, pointShape, rows, objective, estimator, generator); // [rows, width]
            drawing.Stop();
            GradientMoments.Add(moments, perSample);
        }

        var mean = moments.Mean;
        var variance = moments.Variance;
        var assessment = GradientBias.Assess(exact, moments);
        return new GradientAuditResult(
            exact,
            mean,
            variance,
            variance.Select(v => Math.Sqrt(v / samples)).ToArray(),
            mean.Select((m, i) => m - exact[i]).ToArray(),
            assessment.RelativeBias,
            assessment.CosineSimilarity,
            estimator.EvaluationsPerExample(dims, classes),
            samples,
            assessment.BiasTest,
            assessment.RelativeBiasCorrected,
            assessment.RelativeBiasUpper95,
            assessment.CosineSimilarityUnavailable,
            assessment.MeanVariance,
            drawing.Elapsed.TotalSeconds / samples);
    }

    /// <summary>The gradient of the objective's exact expectation at the point, by autograd through it.</summary>
    public static double[] ExactGradient(LatentFamily family, IReadOnlyList<double> point, int dims, int classes, IExactObjective objective) =>
        ExactGradient(family, point, CheckPoint(family, point, dims, classes), objective);

    private static double[] ExactGradient(LatentFamily family, IReadOnlyList<double> point, long[] pointShape, IExactObjective objective)
    {
        using var scope = NewDisposeScope();
        var leaf = tensor(point.ToArray(), [1, .. pointShape], float64, requires_grad: true); // [1, dims(, K)]
        var expected = objective.Expectation(family, leaf).sum();
        return autograd.grad([expected], [leaf])[0].data<double>().ToArray();
    }

    /// <summary>
    /// Rows per chunk such that a chunk leaves at most <paramref name="chunkNumbers"/> numbers in its scope. What
    /// one row costs varies by orders of magnitude (K samples per row, n arrival times, a support sum over hundreds
    /// of counts) and no interface declares it, so it is measured: the tensors a few probe rows leave in a dispose
    /// scope are counted, views included, which errs on the large side. The probe draws from a generator of its
    /// own that always starts from the same seed, so it changes no result and the chunking is reproducible.
    /// </summary>
    private static int RowsPerChunk(
        IReadOnlyList<double> point, long[] pointShape, IObjective objective, IGradientEstimator estimator, int samples, long chunkNumbers)
    {
        int rows = Math.Min(ProbeRows, samples);
        using var scope = NewDisposeScope();
        using var probeGenerator = new Generator(0);
        PerSampleGradients(point, pointShape, rows, objective, estimator, probeGenerator);
        long materialised = scope.DisposablesView.OfType<Tensor>().Where(t => !t.IsInvalid).Sum(t => t.numel());
        long perRow = Math.Max(1, (materialised + rows - 1) / rows);
        return (int)Math.Clamp(chunkNumbers / perRow, 1, samples);
    }

    /// <summary>
    /// One row per sample, all at the point; the gradient of the summed surrogate with respect to row b is example
    /// b's estimate because rows are independent. autograd.grad (not backward) leaves any tensors the estimator
    /// owns, such as a control variate's weights, without accumulated gradients.
    /// </summary>
    private static Tensor PerSampleGradients(
        IReadOnlyList<double> point, long[] pointShape, int rows, IObjective objective, IGradientEstimator estimator, Generator generator)
    {
        var rowsAtPoint = tensor(point.ToArray(), pointShape, float64)
            .unsqueeze(0)
            .expand([rows, .. pointShape])
            .clone()
            .requires_grad_(true);                                                        // [rows, dims(, K)]
        var surrogate = estimator.Surrogate(rowsAtPoint, objective, generator).sum();
        return autograd.grad([surrogate], [rowsAtPoint])[0].reshape(rows, -1);           // [rows, width]
    }

    private static long[] CheckArguments(
        LatentFamily family, IReadOnlyList<double> point, int dims, int classes, IGradientEstimator estimator, int samples, long chunkNumbers)
    {
        if (estimator.Family.Distribution != family.Distribution)
            throw new ArgumentException($"'{estimator.Name}' is built for {estimator.Family.Distribution}, not {family.Distribution}.", nameof(estimator));
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 2, nameof(samples)); // a variance needs two samples
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkNumbers, 1, nameof(chunkNumbers));
        return CheckPoint(family, point, dims, classes);
    }

    private static long[] CheckPoint(LatentFamily family, IReadOnlyList<double> point, int dims, int classes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dims, 1, nameof(dims));
        bool categorical = family.Distribution == LatentDistribution.Categorical;
        if (!categorical && classes != 1)
            throw new ArgumentOutOfRangeException(nameof(classes), classes, "Only categorical latents have classes; pass 1.");
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1, nameof(classes));
        if (point.Count != (long)dims * classes)
            throw new ArgumentException($"Expected dims x classes = {(long)dims * classes} values, got {point.Count}.", nameof(point));
        return categorical ? [dims, classes] : [dims];
    }
}

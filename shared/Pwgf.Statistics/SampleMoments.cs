namespace Pwgf.Statistics;

/// <summary>
/// Count, mean and co-moments (sums of products of deviations from the mean) of vector-valued samples, merged
/// batch by batch with the pairwise update of Chan, Golub and LeVeque: exact in exact arithmetic, and free of the
/// cancellation that sums of squares suffer when the mean is large against the spread (an exact gradient has no
/// spread at all). The full covariance is kept for at most <see cref="MaxCovarianceWidth"/> coordinates; wider
/// samples keep the per-coordinate variances only.
/// </summary>
public sealed class SampleMoments
{
    /// <summary>
    /// Widest sample whose covariance is kept: its matrix is 0.5 MiB, and a batch of n rows costs n x width^2
    /// multiply-adds to fold in, which stays below the cost of drawing the rows for every estimator the audit has.
    /// </summary>
    public const int MaxCovarianceWidth = 256;

    private readonly double[] _mean;
    private readonly double[] _coMoments; // width x width row-major, or width (diagonal only)

    public SampleMoments(int width)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1, nameof(width));
        Width = width;
        HasCovariance = width <= MaxCovarianceWidth;
        _mean = new double[width];
        _coMoments = new double[HasCovariance ? width * width : width];
    }

    public int Width { get; }

    public int Count { get; private set; }

    /// <summary>Whether the full covariance is kept (width at most <see cref="MaxCovarianceWidth"/>).</summary>
    public bool HasCovariance { get; }

    public double[] Mean => [.. _mean];

    /// <summary>Unbiased sample variance per coordinate (divisor n - 1).</summary>
    public double[] Variance =>
        [.. Enumerable.Range(0, Width).Select(i => (HasCovariance ? _coMoments[i * Width + i] : _coMoments[i]) / (Count - 1))];

    /// <summary>Unbiased sample covariance, width x width; only when <see cref="HasCovariance"/>.</summary>
    public double[,] Covariance
    {
        get
        {
            if (!HasCovariance) throw new InvalidOperationException($"Covariances are kept for at most {MaxCovarianceWidth} coordinates.");
            var covariance = new double[Width, Width];
            for (int i = 0; i < Width; i++)
            {
                for (int j = 0; j < Width; j++) covariance[i, j] = _coMoments[i * Width + j] / (Count - 1);
            }
            return covariance;
        }
    }

    /// <summary>Folds in a batch given by its own count, mean and co-moments (about its own mean).</summary>
    /// <param name="count">Rows in the batch.</param>
    /// <param name="mean">The batch's mean, width values.</param>
    /// <param name="coMoments">width x width row-major when <see cref="HasCovariance"/>, else width sums of squared deviations.</param>
    public void Merge(int count, IReadOnlyList<double> mean, IReadOnlyList<double> coMoments)
    {
        if (count < 1) return;
        if (mean.Count != Width || coMoments.Count != _coMoments.Length)
            throw new ArgumentException($"Expected {Width} means and {_coMoments.Length} co-moments, got {mean.Count} and {coMoments.Count}.");
        int total = Count + count;
        double weight = (double)Count * count / total;
        var delta = new double[Width];
        for (int i = 0; i < Width; i++) delta[i] = mean[i] - _mean[i];
        for (int i = 0; i < Width; i++)
        {
            if (HasCovariance)
            {
                for (int j = 0; j < Width; j++) _coMoments[i * Width + j] += coMoments[i * Width + j] + delta[i] * delta[j] * weight;
            }
            else
            {
                _coMoments[i] += coMoments[i] + delta[i] * delta[i] * weight;
            }
            _mean[i] += delta[i] * count / total;
        }
        Count = total;
    }

    /// <summary>The moments of rows given one after another (row-major, rows x width).</summary>
    public static SampleMoments OfRows(IReadOnlyList<double> rowMajor, int width)
    {
        var moments = new SampleMoments(width);
        int rows = rowMajor.Count / width;
        if (rows * width != rowMajor.Count) throw new ArgumentException($"{rowMajor.Count} values are not rows of {width}.", nameof(rowMajor));
        var mean = new double[width];
        for (int r = 0; r < rows; r++)
        {
            for (int i = 0; i < width; i++) mean[i] += rowMajor[r * width + i] / rows;
        }
        var coMoments = new double[moments._coMoments.Length];
        for (int r = 0; r < rows; r++)
        {
            for (int i = 0; i < width; i++)
            {
                double di = rowMajor[r * width + i] - mean[i];
                if (!moments.HasCovariance) { coMoments[i] += di * di; continue; }
                for (int j = 0; j < width; j++) coMoments[i * width + j] += di * (rowMajor[r * width + j] - mean[j]);
            }
        }
        moments.Merge(rows, mean, coMoments);
        return moments;
    }
}

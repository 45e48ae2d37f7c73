namespace Pwgf.Api.Diagnostics;

/// <summary>
/// Bounds on one diagnostics request. The audit runs inside the request, so these keep its time and memory small;
/// the value ranges keep sigmoid, softmax and the Poisson support sums well inside float64.
/// </summary>
public static class DiagnosticsLimits
{
    public const int MaxDims = 256;
    public const int MaxClasses = 64;
    public const int MaxSamples = 1_000_000;

    /// <summary>Per estimator: samples x dims x classes (classes = 1 for Bernoulli and Poisson).</summary>
    public const long MaxSampleNumbers = 20_000_000;

    public const int MaxEstimators = 16;

    /// <summary>|logit| bound for Bernoulli and categorical logits: sigmoid(30) is 1 - 1e-13.</summary>
    public const double MaxAbsLogit = 30;

    /// <summary>Poisson log-rates: lambda at most e^6 (about 403), so the truncated support stays a few hundred counts.</summary>
    public const double MaxLogRate = 6;

    /// <summary>Poisson log-rates: lambda at least e^-30, so rates never underflow to zero and divide nothing by it.</summary>
    public const double MinLogRate = -30;

    /// <summary>
    /// Wall-clock budget of one audit. The size limits bound memory but not time (K = 64 samples or 1000 Rao draws
    /// multiply the work), so an audit that runs longer is stopped between chunks and refused with 422.
    /// Diagnostics:MaxComputeTime overrides it.
    /// </summary>
    public static readonly TimeSpan MaxComputeTime = TimeSpan.FromSeconds(60);

    public const int DefaultSamples = 10_000;
    public const long DefaultSeed = 0;
}

namespace Pwgf.Api.Diagnostics;

/// <summary>
/// Bounds on one diagnostics request. The audit runs inside the request, so these keep its time and memory small;
/// the value ranges keep sigmoid, softmax and the Poisson support sums well inside float64. The time budget is a
/// setting (<see cref="DiagnosticsOptions"/>).
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

    public const int DefaultSamples = 10_000;
    public const long DefaultSeed = 0;
}

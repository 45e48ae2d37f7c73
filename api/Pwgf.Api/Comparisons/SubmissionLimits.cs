namespace Pwgf.Api.Comparisons;

/// <summary>Bounds on one submission, so a single request cannot occupy the workers or the database unboundedly.</summary>
public static class SubmissionLimits
{
    public const int MaxSteps = 5_000_000;
    public const int MaxSeeds = 100;
    public const int MaxEstimators = 32;
    public const int MaxRuns = 512;

    /// <summary>Evaluations per run (steps / evalEvery); each writes a handful of metric rows.</summary>
    public const int MaxEvaluations = 100_000;
}

namespace Pwgf.Estimators.Pathwise;

/// <summary>The values of pwgf's <c>projection</c> parameter (docs/pwgf.md).</summary>
public static class PwgfProjection
{
    /// <summary>The W2 projection with the Gaussian (mean, std) geometry; the default.</summary>
    public const string W2 = "w2";

    /// <summary>The mean-matching projection, which is straight-through.</summary>
    public const string Mean = "mean";
}

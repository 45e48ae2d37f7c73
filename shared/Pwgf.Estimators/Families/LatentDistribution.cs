namespace Pwgf.Estimators.Families;

/// <summary>The discrete families whose gradients the library estimates.</summary>
public enum LatentDistribution
{
    Bernoulli,
    Categorical,
    Poisson,
}

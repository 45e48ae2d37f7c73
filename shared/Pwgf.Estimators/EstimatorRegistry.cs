using Pwgf.Estimators.Estimators;
using Pwgf.Estimators.Families;
using static Pwgf.Estimators.Families.LatentDistribution;

namespace Pwgf.Estimators;

/// <summary>The one place that maps estimator names to implementations.</summary>
public static class EstimatorRegistry
{
    private static readonly LatentDistribution[] AllFamilies = [Bernoulli, Categorical, Poisson];

    public static IReadOnlyList<EstimatorDefinition> All { get; } =
    [
        new("st",
            "Straight-through: exact sample forward, the sample treated as its mean backward (mean-matching pWGF projection).",
            Unbiased: false,
            Reference: "Bengio, Leonard, Courville 2013; Cheng et al. 2018 (arXiv 1910.02176)",
            AllFamilies, [],
            (family, _) => new StraightThrough(family)),

        new("pwgf",
            "Projected Wasserstein gradient flow. Poisson: W2 projection, g = f'(z)(z + lambda)/(2 lambda), unbiased for quadratic f. Bernoulli and categorical: identical to st.",
            Unbiased: false,
            Reference: "Cheng, Liu, Li, Shen, Henao, Carin 2018 (arXiv 1910.02176)",
            AllFamilies,
            [new ParameterSpec("preconditioned", ParameterKind.Boolean, 0, 0, 1,
                "Poisson only: multiply by the family's Wasserstein metric 1/(1 + 1/(4 lambda)) (natural-gradient step).")],
            (family, settings) => family.Distribution == Poisson
                ? new PoissonWassersteinProjection(settings.Boolean("preconditioned"))
                : new StraightThrough(family, "pwgf")),

        new("reinforce-loo",
            "REINFORCE with K samples per example, each baselined by the mean of the other K - 1.",
            Unbiased: true,
            Reference: "Kool, van Hoof, Welling 2019, 'Buy 4 REINFORCE samples, get a baseline for free!'",
            AllFamilies,
            [new ParameterSpec("samples", ParameterKind.Integer, 2, 2, 64, "Samples K per example (f is evaluated K times).")],
            (family, settings) => new ReinforceLeaveOneOut(family, settings.Integer("samples"))),

        new("exact",
            "The exact gradient of the expected objective (closed form or support sum), as a reference curve.",
            Unbiased: true,
            Reference: "Enumeration / closed form",
            AllFamilies, [],
            (family, _) => new ExactGradient(family)),
    ];

    public static EstimatorDefinition? Find(string name) =>
        All.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.Ordinal));
}

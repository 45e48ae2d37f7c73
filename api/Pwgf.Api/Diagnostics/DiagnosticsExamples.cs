using Pwgf.Api.Hosting.OpenApi;

namespace Pwgf.Api.Diagnostics;

/// <summary>The audits the OpenAPI document shows; each is a request the API accepts (a test sends them).</summary>
public static class DiagnosticsExamples
{
    public static readonly RequestExample PoissonAudit = new("poisson",
        "One Poisson rate, f(z) = (z - 2.3)^2: st is biased, pwgf and exact-diff are not (README)",
        """
        {"distribution": "poisson", "logits": [0.53], "objective": {"kind": "power", "target": 2.3, "power": 2},
         "estimators": ["st", "pwgf", "exact-diff"], "samples": 20000, "seed": 7}
        """);

    public static readonly RequestExample CategoricalAudit = new("categorical",
        "Two categorical latents with three classes, a weighted linear-square objective",
        """
        {"distribution": "categorical", "logits": [[0, 1, -1], [2, 0, 0]],
         "objective": {"kind": "linear-square", "target": 1.5, "weights": [1, 0.5]},
         "estimators": ["st", "gumbel-rao", {"name": "reinforce-loo", "samples": 4}], "samples": 10000, "seed": 1}
        """);
}

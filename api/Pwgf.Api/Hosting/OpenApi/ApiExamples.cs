namespace Pwgf.Api.Hosting.OpenApi;

/// <summary>The request bodies the OpenAPI document shows; each is a request the API accepts.</summary>
public static class ApiExamples
{
    public static readonly RequestExample PoissonToy = new("poisson-toy",
        "Poisson toy: st and pwgf settle at different points (README)",
        """
        {"task": "poisson-toy", "taskOptions": {"dims": 3, "target": 3.4, "batchSize": 16},
         "estimators": ["st", "pwgf"], "seeds": [11, 12], "steps": 800,
         "optimizer": {"name": "adam", "learningRate": 0.03}, "evalEvery": 20}
        """);

    public static readonly RequestExample BernoulliVae = new("bernoulli-vae",
        "Bernoulli VAE on Fashion-MNIST, linear networks, three estimators x three seeds",
        """
        {"task": "bernoulli-vae", "taskOptions": {"dataset": "fashion-mnist", "architecture": "linear", "trainSubset": 5000, "batchSize": 50},
         "estimators": ["st", "disarm", {"name": "reinforce-loo", "samples": 2}], "seeds": [1, 2, 3], "steps": 2000,
         "optimizer": {"name": "adam", "learningRate": 0.001}, "evalEvery": 200}
        """);

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

    public static readonly RequestExample SubmitKey = new("ci-key",
        "A key for a CI job that submits comparisons",
        """{"name": "ci", "scopes": ["submit"]}""");
}

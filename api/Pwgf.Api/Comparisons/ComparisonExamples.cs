using Pwgf.Api.Hosting.OpenApi;

namespace Pwgf.Api.Comparisons;

/// <summary>The submissions the OpenAPI document shows; each is a request the API accepts (a test submits them).</summary>
public static class ComparisonExamples
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
}

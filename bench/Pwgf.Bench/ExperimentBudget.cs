namespace Pwgf.Bench;

/// <summary>
/// The budget of `./pwgf bench experiments`, in one place. The full budget is sized to finish within an hour on a
/// 2-core machine (aim: about 40 minutes including build and start-up); tune the step counts here from the run
/// times the report prints in its "Where the time went" section. The quick budget only checks the machinery.
/// </summary>
public static class ExperimentBudget
{
    // ---- Full budget -------------------------------------------------------------------------------------------
    public static readonly long[] Seeds = [1, 2, 3];

    /// <summary>Adam's learning rate and the minibatch of the two VAEs (RODEO's and later papers' setting).</summary>
    public const double VaeLearningRate = 1e-3;
    public const int VaeBatchSize = 50;

    /// <summary>Importance samples and images (each of validation and test) of every NLL evaluation.</summary>
    public const int VaeImportanceSamples = 100;
    public const int VaeEvalImages = 1000;

    public const int BernoulliVaeSteps = 4000;
    public const int BernoulliVaeEvalEvery = 1000;

    public const int PoissonVaeSteps = 3000;
    public const int PoissonVaeEvalEvery = 1000;

    public const int PoissonToySteps = 1000;
    public const int PoissonToyEvalEvery = 50;
    public const int PoissonToyBatchSize = 16;
    public const int PoissonToyDims = 3;
    public const double PoissonToyTarget = 3.4;
    /// <summary>Adam moves a log-rate by about this much per step: about 100 steps from lambda = 1 to the optimum 2.9.</summary>
    public const double PoissonToyLearningRate = 1e-2;

    /// <summary>Training stops here, counted from the start of the whole command, leaving room to write and shut down.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromMinutes(52);

    // ---- Quick budget (a couple of minutes) ---------------------------------------------------------------------
    public static readonly long[] QuickSeeds = [1, 2];
    public const int QuickToySteps = 200;
    public const int QuickToyEvalEvery = 20;
    public const int QuickVaeSteps = 40;
    public const int QuickVaeEvalEvery = 20;
    public const int QuickVaeEvalImages = 100;
    public const int QuickVaeImportanceSamples = 10;
    public const int QuickVaeTrainSubset = 1000;
    public static readonly TimeSpan QuickDeadline = TimeSpan.FromMinutes(12);

    // ---- The comparisons --------------------------------------------------------------------------------------
    // leg is left out of the VAE comparisons: it evaluates the decoder d + 1 times per example (201 for the Bernoulli
    // VAE, 1651 for the Poisson VAE at its default truncation), far beyond this budget.
    public static readonly string[] BernoulliEstimators =
        ["st", "pwgf", "reinforce-loo", "disarm", "relax", "reinmax", "gumbel-softmax", "nvil", "muprop", "arms", "vimco"];
    public static readonly string[] PoissonToyEstimators = ["st", "pwgf", "exact-diff", "reinforce-loo", "eat", "gengs", "nvil", "leg", "st-eat"];
    public static readonly string[] PoissonVaeEstimators = ["st", "pwgf", "exact-diff", "reinforce-loo", "eat", "gengs", "nvil", "st-eat", "vimco"];

    /// <summary>The toy first: it finishes early, so a broken service shows up in minutes, not at the end.</summary>
    public static IReadOnlyList<ExperimentSpec> Plan(bool quick) =>
    [
        new("poisson-toy",
            "Poisson toy: f(z) = mean_i (z_i - t)^2",
            new Dictionary<string, object>
            {
                ["dims"] = PoissonToyDims,
                ["target"] = PoissonToyTarget,
                ["batchSize"] = PoissonToyBatchSize,
            },
            PoissonToyEstimators,
            quick ? QuickSeeds : Seeds,
            quick ? QuickToySteps : PoissonToySteps,
            quick ? QuickToyEvalEvery : PoissonToyEvalEvery,
            PoissonToyLearningRate,
            MetricRoles.Toy),

        new("bernoulli-vae",
            "Bernoulli VAE (linear), Fashion-MNIST",
            VaeOptions(quick, ("architecture", "linear")),
            BernoulliEstimators,
            quick ? QuickSeeds : Seeds,
            quick ? QuickVaeSteps : BernoulliVaeSteps,
            quick ? QuickVaeEvalEvery : BernoulliVaeEvalEvery,
            VaeLearningRate,
            MetricRoles.Vae),

        new("poisson-vae",
            "Poisson VAE, Fashion-MNIST",
            VaeOptions(quick, ("architecture", "linear")),
            PoissonVaeEstimators,
            quick ? QuickSeeds : Seeds,
            quick ? QuickVaeSteps : PoissonVaeSteps,
            quick ? QuickVaeEvalEvery : PoissonVaeEvalEvery,
            VaeLearningRate,
            MetricRoles.Vae),
    ];

    private static Dictionary<string, object> VaeOptions(bool quick, params (string Name, object Value)[] extra)
    {
        var options = new Dictionary<string, object>
        {
            ["dataset"] = "fashion-mnist",
            ["batchSize"] = VaeBatchSize,
            ["evalImages"] = quick ? QuickVaeEvalImages : VaeEvalImages,
            ["importanceSamples"] = quick ? QuickVaeImportanceSamples : VaeImportanceSamples,
        };
        // The full budget trains on every training image (trainSubset 0, the task's default).
        if (quick) options["trainSubset"] = QuickVaeTrainSubset;
        foreach (var (name, value) in extra) options[name] = value;
        return options;
    }
}

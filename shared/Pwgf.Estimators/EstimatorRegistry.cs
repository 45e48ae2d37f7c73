using Pwgf.Estimators.Exact;
using Pwgf.Estimators.Pathwise;
using Pwgf.Estimators.ScoreFunction;
using Pwgf.Estimators.Families;
using static Pwgf.Estimators.Families.LatentDistribution;

namespace Pwgf.Estimators;

/// <summary>The one place that maps estimator names to implementations, with their knobs and references.</summary>
public static class EstimatorRegistry
{
    private static readonly LatentDistribution[] AllFamilies = [Bernoulli, Categorical, Poisson];
    private static readonly LatentDistribution[] BinaryAndCategorical = [Bernoulli, Categorical];

    public static IReadOnlyList<EstimatorDefinition> All { get; } =
    [
        new("reinforce",
            "Score function: f(z) times the gradient of log p(z). Unbiased, values of f only, high variance.",
            Unbiased: true,
            Reference: "Williams 1992, 'Simple statistical gradient-following algorithms'",
            AllFamilies, [],
            (family, _) => new Reinforce(family)),

        new("reinforce-loo",
            "REINFORCE with K samples per example, each baselined by the mean of the other K - 1.",
            Unbiased: true,
            Reference: "Kool, van Hoof, Welling 2019, 'Buy 4 REINFORCE samples, get a baseline for free!'",
            AllFamilies,
            [new ParameterSpec("samples", ParameterKind.Integer, 2, 2, 64, "Samples K per example (f is evaluated K times).")],
            (family, settings) => new ReinforceLeaveOneOut(family, settings.Integer("samples"))),

        new("nvil",
            "REINFORCE with NVIL's learned baseline (a network of the inputs; one learned number in the toys) and running mean. Optionally NVIL's variance normalisation, which divides the estimate by max(1, the signal's running standard deviation).",
            Unbiased: true,
            Reference: "Mnih, Gregor 2014, 'Neural variational inference and learning in belief networks'",
            AllFamilies,
            [
                new ParameterSpec("hidden", ParameterKind.Integer, 100, 1, 1024, "Hidden tanh units of the baseline network of the inputs (VAE tasks)."),
                new ParameterSpec("normalise", ParameterKind.Boolean, 0, 0, 1,
                    "Divide the centred learning signal by max(1, its running standard deviation), as the paper does. Off by default: here it scales only the estimator's share of a VAE's encoder gradient, not the exact KL term, which reweights the objective."),
                TuningRate(),
            ],
            (family, settings) => new LearnedBaseline(family, settings.Integer("hidden"), settings.Boolean("normalise"), settings.Number("tuningRate"))),

        new("muprop",
            "REINFORCE with the first-order Taylor expansion of f around the mean as control variate, its expectation's gradient f'(mu) dmu/dtheta added back.",
            Unbiased: true,
            Reference: "Gu, Levine, Sutskever, Mnih 2016, 'MuProp: unbiased backpropagation for stochastic neural networks'",
            BinaryAndCategorical, [],
            (family, _) => new TaylorControlVariate(family)),

        new("arm",
            "Augment-REINFORCE-merge: two antithetic samples from one uniform, g = (f(b1) - f(b2))(u - 1/2).",
            Unbiased: true,
            Reference: "Yin, Zhou 2019, 'ARM: augment-REINFORCE-merge gradient for stochastic binary networks'",
            [Bernoulli], [],
            (_, _) => new AntitheticBernoulli(disarm: false)),

        new("arms",
            "Antithetic REINFORCE with K samples coupled by a Dirichlet copula, leave-one-out centred and debiased; K = 2 is DisARM.",
            Unbiased: true,
            Reference: "Dimitriev, Zhou 2021, 'ARMS: antithetic-REINFORCE-multi-sample gradient for binary variables'",
            [Bernoulli],
            [new ParameterSpec("samples", ParameterKind.Integer, 4, 2, 64, "Samples K per example (f is evaluated K times).")],
            (_, settings) => new AntitheticMultiSample(settings.Integer("samples"))),

        new("disarm",
            "ARM with the uniform integrated out given the antithetic pair; never more variance than ARM. Categorical: DisARM on the stick-breaking construction's binary steps, with one-sided score terms where only one sample reaches a step.",
            Unbiased: true,
            Reference: "Dong, Mnih, Tucker 2020, 'DisARM: an antithetic gradient estimator for binary latent variables'; categorical: Dong, Mnih, Tucker 2021, 'Coupled gradient estimators for discrete latent variables'",
            BinaryAndCategorical, [],
            (family, _) => family.Distribution == Categorical ? new StickBreakingAntithetic() : new AntitheticBernoulli(disarm: true)),

        new("rebar",
            "REINFORCE with a conditional Concrete relaxation of f as control variate; its scale and temperature are tuned online to minimise variance.",
            Unbiased: true,
            Reference: "Tucker, Mnih, Maddison, Lawson, Sohl-Dickstein 2017, 'REBAR'",
            BinaryAndCategorical,
            [
                Temperature(0.5, "Initial temperature lambda of the relaxation (tuned online)."),
                new ParameterSpec("scale", ParameterKind.Number, 1, -10, 10, "Initial scale eta of the control variate (tuned online)."),
                TuningRate(),
            ],
            (family, settings) => family.Distribution == Categorical
                ? new ConditionalGumbelRelaxation(false, settings.Number("temperature"), settings.Number("scale"), 0, settings.Number("tuningRate"))
                : new ConditionalRelaxation(false, settings.Number("temperature"), settings.Number("scale"), 0, settings.Number("tuningRate"))),

        new("relax",
            "REBAR's control variate plus a small learned network, all tuned online to minimise the estimate's variance.",
            Unbiased: true,
            Reference: "Grathwohl, Choi, Wu, Roeder, Duvenaud 2018, 'Backpropagation through the void'",
            BinaryAndCategorical,
            [
                Temperature(0.5, "Initial temperature lambda of the relaxation (tuned online)."),
                new ParameterSpec("scale", ParameterKind.Number, 1, -10, 10, "Initial scale eta of the relaxed-f term (tuned online)."),
                new ParameterSpec("hidden", ParameterKind.Integer, 10, 1, 1024, "Hidden units of the learned control-variate network."),
                TuningRate(),
            ],
            (family, settings) => family.Distribution == Categorical
                ? new ConditionalGumbelRelaxation(true, settings.Number("temperature"), settings.Number("scale"), settings.Integer("hidden"), settings.Number("tuningRate"))
                : new ConditionalRelaxation(true, settings.Number("temperature"), settings.Number("scale"), settings.Integer("hidden"), settings.Number("tuningRate"))),

        new("unordered-set",
            "k distinct joint configurations drawn without replacement, weighted by their leave-one-out set probabilities, each centred by the same estimator's estimate of E f without it (built-in baseline).",
            Unbiased: true,
            Reference: "Kool, van Hoof, Welling 2020, 'Estimating gradients for discrete random variables by sampling without replacement'",
            [Categorical],
            [new ParameterSpec("samples", ParameterKind.Integer, 4, 2, 8, "Configurations k drawn without replacement per example (f is evaluated k times).")],
            (_, settings) => new UnorderedSet(settings.Integer("samples"))),

        new("vimco",
            "Trains the K-sample importance-weighted bound log (1/K) sum_k p(x, z_k) / q(z_k | x) instead of the ELBO; each sample's score is weighted by the bound minus the bound with its weight replaced by the geometric mean of the others. VAE tasks only: it needs the model's p(x, z).",
            Unbiased: true,
            Reference: "Mnih, Rezende 2016, 'Variational inference for Monte Carlo objectives'",
            AllFamilies,
            [new ParameterSpec("samples", ParameterKind.Integer, 5, 2, 64, "Samples K per example in the bound (the decoder is evaluated K times).")],
            (family, settings) => new ImportanceWeightedLeaveOneOut(family, settings.Integer("samples")),
            NeedsImportanceWeights: true),

        new("leg",
            "Local expectation gradients: one sample, then for each coordinate the exact sum over its values with the others held. Bernoulli d + 1 evaluations, categorical d (K - 1) + 1, Poisson d (n + 1) + 1 (counts above n through the sample's score).",
            Unbiased: true,
            Reference: "Titsias, Lazaro-Gredilla 2015, 'Local expectation gradients for black box variational inference'",
            AllFamilies,
            [new ParameterSpec("truncation", ParameterKind.Integer, 32, 1, 256, "Poisson only: counts 0..n summed exactly per coordinate; larger counts go through the sample's score.")],
            (family, settings) => new LocalExpectation(family, settings.Integer("truncation"))),

        new("st",
            "Straight-through: exact sample forward, the sample treated as its mean backward (mean-matching pWGF projection).",
            Unbiased: false,
            Reference: "Bengio, Leonard, Courville 2013; read as the mean-projected flow (docs/pwgf.md) after Cheng et al. 2018 (arXiv 1910.02176)",
            AllFamilies, [],
            (family, _) => new StraightThrough(family)),

        new("pwgf",
            "Projected Wasserstein gradient flow: particles move along -grad f and are projected back onto the family. projection w2 (default): the (mean, std) W2 projection, g = f'(z)(z + lambda)/(2 lambda) for Poisson, f'(z)[z/(2p) + (1 - z)/(2(1 - p))] for Bernoulli, its (mean, covariance) form for categorical; exactly unbiased for quadratic f. projection mean: straight-through.",
            Unbiased: false,
            Reference: "This project's derivation (docs/pwgf.md) after the scheme of Cheng, Liu, Li, Shen, Henao, Carin 2018 (arXiv 1910.02176)",
            AllFamilies,
            [
                ParameterSpec.Choice("projection", [PwgfProjection.W2, PwgfProjection.Mean],
                    "w2: the W2 projection with the Gaussian (mean, std) geometry; mean: the mean-matching projection, which is straight-through."),
                new ParameterSpec("preconditioned", ParameterKind.Boolean, 0, 0, 1,
                    "Poisson w2 only: divide by 1 + 1/(4 lambda), the squared length of the Poisson curve's tangent (a metric preconditioner; not the natural gradient in the log-rate)."),
            ],
            (family, settings) => settings.Choice("projection") == PwgfProjection.Mean
                ? new StraightThrough(family, "pwgf")
                : family.Distribution switch
                {
                    Poisson => new PoissonWassersteinProjection(settings.Boolean("preconditioned")),
                    Bernoulli => new BernoulliWassersteinProjection(),
                    _ => new CategoricalWassersteinProjection(),
                }),

        new("gumbel-softmax",
            "Concrete relaxation: f evaluated at softmax((theta + G)/tau) (Bernoulli: sigmoid((phi + L)/tau)), differentiated pathwise.",
            Unbiased: false,
            Reference: "Jang, Gu, Poole 2017; Maddison, Mnih, Teh 2017",
            BinaryAndCategorical,
            [Temperature(0.5, "Relaxation temperature tau.")],
            (family, settings) => new GumbelSoftmax(family, settings.Number("temperature"), straightThrough: false)),

        new("st-gumbel-softmax",
            "Straight-through Gumbel-softmax: f at the hard sample argmax(theta + G), the relaxed sample's Jacobian backward.",
            Unbiased: false,
            Reference: "Jang, Gu, Poole 2017",
            BinaryAndCategorical,
            [Temperature(1, "Relaxation temperature tau of the backward pass.")],
            (family, settings) => new GumbelSoftmax(family, settings.Number("temperature"), straightThrough: true)),

        new("gumbel-rao",
            "ST-Gumbel-softmax with the Jacobian averaged over M Gumbel draws conditioned on the hard sample (Rao-Blackwellised).",
            Unbiased: false,
            Reference: "Paulus, Maddison, Krause, ICLR 2021, 'Rao-Blackwellizing the straight-through Gumbel-softmax gradient estimator'",
            [Categorical],
            [
                Temperature(1, "Relaxation temperature tau."),
                new ParameterSpec("draws", ParameterKind.Integer, 10, 1, 1000, "Conditional Gumbel draws M averaged per example."),
            ],
            (_, settings) => new GumbelRao(settings.Number("temperature"), settings.Integer("draws"))),

        new("gst",
            "Gapped straight-through: exact sample forward; backward, the Jacobian of softmax(m / tau) at logits m where the sampled class is moved up to the largest logit and every other logit is lowered to at most largest - gap.",
            Unbiased: false,
            Reference: "Fan, Chi, Rudnicky, Ramadge, ICML 2022, 'Training discrete deep generative models via gapped straight-through estimator' (reference code chijames/GST)",
            [Categorical],
            [
                new ParameterSpec("gap", ParameterKind.Number, 1, 0, 20, "Gap kappa: every class but the sampled one ends at least kappa below the largest logit."),
                Temperature(1, "Temperature tau of the softmax whose Jacobian is used."),
            ],
            (_, settings) => new GappedStraightThrough(settings.Number("gap"), settings.Number("temperature"), adaptiveGap: false)),

        new("gst-p",
            "Gapped straight-through with the gap chosen per sample as -log(1 - pi_D)/pi_D, pi_D the probability of the sampled class.",
            Unbiased: false,
            Reference: "Fan, Chi, Rudnicky, Ramadge, ICML 2022 (GST-p; reference code chijames/GST)",
            [Categorical],
            [Temperature(1, "Temperature tau of the softmax whose Jacobian is used.")],
            (_, settings) => new GappedStraightThrough(0, settings.Number("temperature"), adaptiveGap: true)),

        new("reinmax",
            "Second-order straight-through: backward 2 J(pi1)^T g - 1/2 J(pi)^T g with pi1 = (softmax(theta/tau) + D)/2; unbiased for quadratic f at tau = 1.",
            Unbiased: false,
            Reference: "Liu, Dong, Liu, Yu, Gao, NeurIPS 2023, 'Bridging discrete and backpropagation: straight-through and beyond'",
            BinaryAndCategorical,
            [new ParameterSpec("temperature", ParameterKind.Number, 1, 1, 10, "Temperature tau >= 1 of pi1.")],
            (family, settings) => new ReinMax(family, settings.Number("temperature"))),

        new("exact-diff",
            "Poisson forward differences: g_i = lambda_i (f(z + e_i) - f(z)) from one sample; unbiased, d + 1 evaluations.",
            Unbiased: true,
            Reference: "The Poisson identity dE f/d lambda = E[f(z + 1) - f(z)]",
            [Poisson], [],
            (_, _) => new ExactDifference()),

        new("eat",
            "Exponential arrival times: relaxed count sum_k sigmoid((1 - t_k)/tau) over the first n arrivals of a rate-lambda process.",
            Unbiased: false,
            Reference: "Vafaii, Galor, Yates 2024, 'Poisson variational autoencoder' (arrival-time relaxation)",
            [Poisson],
            [
                Temperature(0.1, "Sharpness tau of the arrival indicator; the relaxed count's mean is lambda (1 + tau log(1 + e^(-1/tau)))."),
                new ParameterSpec("arrivals", ParameterKind.Integer, 0, 0, ExponentialArrivals.MaxArrivals,
                    "Arrivals n simulated; 0 (default) sizes n from the largest rate of each call, lambda (1 + 10 tau) plus six standard deviations."),
            ],
            (_, settings) => new ExponentialArrivals(settings.Number("temperature"), settings.Integer("arrivals"))),

        new("st-eat",
            "Straight-through EAT: the exact Poisson count from the arrival times forward, the gradient of their relaxed count backward (the Poisson VAE code's hard sampling).",
            Unbiased: false,
            Reference: "Vafaii, Galor, Yates 2024, 'Poisson variational autoencoder' (reference code, hard sampling)",
            [Poisson],
            [Temperature(0.1, "Sharpness tau of the arrival indicator in the backward pass.")],
            (_, settings) => new StraightThroughArrivals(settings.Number("temperature"))),

        new("gengs",
            "Generalised Gumbel-softmax: Gumbel-softmax over the support {0..n} plus a remainder class, relaxed count sum_k k w_k.",
            Unbiased: false,
            Reference: "Joo, Kim, Shin, Moon 2020, 'Generalized Gumbel-softmax gradient estimator for generic discrete random variables'",
            [Poisson],
            [
                Temperature(0.05, "Relaxation temperature tau; the relaxed count's mean stays within 1% of lambda for tau up to about 0.07."),
                new ParameterSpec("truncation", ParameterKind.Integer, 0, 0, GeneralizedGumbelSoftmax.MaxTruncation,
                    "Largest count n kept as its own class, the rest one remainder class; 0 (default) sizes n from the largest rate of each call, lambda plus six standard deviations plus ten."),
            ],
            (_, settings) => new GeneralizedGumbelSoftmax(settings.Number("temperature"), settings.Integer("truncation"))),

        new("exact",
            "The exact gradient of the expected objective (closed form or support sum), as a reference curve.",
            Unbiased: true,
            Reference: "Enumeration / closed form",
            AllFamilies, [],
            (family, _) => new ExactGradient(family)),
    ];

    public static EstimatorDefinition? Find(string name) =>
        All.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.Ordinal));

    private static ParameterSpec Temperature(double fallback, string description) =>
        new("temperature", ParameterKind.Number, fallback, 0.01, 10, description);

    private static ParameterSpec TuningRate() =>
        new("tuningRate", ParameterKind.Number, 0.01, 0, 1, "Adam learning rate of the online control-variate tuning (0 keeps the initial values).");
}

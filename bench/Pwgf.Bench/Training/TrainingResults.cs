namespace Pwgf.Bench.Training;

/// <summary>A model (linear or nonlinear bernoulli-vae) trained with one estimator.</summary>
public sealed record ModelKey(string Architecture, string Estimator);

/// <summary>Everything the training bench measured, in steps per second unless named otherwise.</summary>
public sealed record TrainingResults(
    DateTimeOffset Started,
    DateTimeOffset Finished,
    IReadOnlyDictionary<int, double> MatmulGflops,
    IReadOnlyDictionary<(ModelKey Key, int Threads), double> Bare,
    IReadOnlyDictionary<ModelKey, double> Service,
    IReadOnlyDictionary<(ModelKey Key, int Threads), double> Peer,
    string PeerVersion,
    IReadOnlyList<(string Estimator, double StepsPerSecond)> EstimatorSteps,
    MetricWriteBench.Result? MetricWrites,
    ApiLoad.Result? Api,
    WorkerScaling.Result? Scaling)
{
    /// <summary>Every model and estimator the bench compares.</summary>
    public static IEnumerable<ModelKey> Models =>
        TrainingSettings.Architectures.SelectMany(a => TrainingSettings.Estimators.Select(e => new ModelKey(a, e)));

    /// <summary>ratio_vs_bare_loop: the lowest service / bare ratio over <see cref="Models"/>; NaN when one is missing.</summary>
    public double RatioVsBareLoop(int threads) => Models.Min(k => RatioToBare(k, threads));

    /// <summary>ratio_vs_pytorch: the lowest service / best-PyTorch ratio over <see cref="Models"/>; NaN when one is missing.</summary>
    public double RatioVsPytorch() => Models.Min(RatioToPeer);

    /// <summary>The PyTorch peer at its best thread count (NaN when it never ran).</summary>
    public double BestPeer(ModelKey key) =>
        TrainingSettings.ThreadCounts.Select(t => Peer.GetValueOrDefault((key, t), double.NaN)).Where(double.IsFinite).DefaultIfEmpty(double.NaN).Max();

    public double RatioToBare(ModelKey key, int threads) =>
        Service.TryGetValue(key, out double service) && Bare.TryGetValue((key, threads), out double bare) ? service / bare : double.NaN;

    public double RatioToPeer(ModelKey key) => Service.TryGetValue(key, out double service) ? service / BestPeer(key) : double.NaN;
}

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
    WorkerScaling.Result? Scaling,
    double RatioVsBareLoop,
    double RatioVsPytorch)
{
    /// <summary>The PyTorch peer at its best thread count (NaN when it never ran).</summary>
    public double BestPeer(ModelKey key) =>
        TrainingSettings.ThreadCounts.Select(t => Peer.GetValueOrDefault((key, t), double.NaN)).Where(double.IsFinite).DefaultIfEmpty(double.NaN).Max();

    public double RatioToBare(ModelKey key, int threads) =>
        Service.TryGetValue(key, out double service) && Bare.TryGetValue((key, threads), out double bare) ? service / bare : double.NaN;

    public double RatioToPeer(ModelKey key) => Service.TryGetValue(key, out double service) ? service / BestPeer(key) : double.NaN;
}

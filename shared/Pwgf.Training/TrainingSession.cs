using System.Runtime.InteropServices;
using Pwgf.Estimators;
using Pwgf.Training.Optimization;
using TorchSharp;
using static TorchSharp.torch;
using Parameter = TorchSharp.Modules.Parameter;

namespace Pwgf.Training;

/// <summary>
/// What every task's session shares: it owns the estimator (a self-tuning one holds parameters of its own), the
/// optimiser of the trained parameters, the run's random streams and whatever else it registers with
/// <see cref="Own{T}"/>, and disposes them all. Its checkpoint is one named list: the trained parameters, the
/// optimiser, the task's own <see cref="State"/>, then the estimator's tuning state.
/// </summary>
public abstract class TrainingSession : ITrainingSession
{
    private readonly List<IDisposable> _owned = [];
    private IReadOnlyList<Parameter> _trained = [];
    private ParameterOptimizer? _optimizer;

    protected TrainingSession(RunConfiguration configuration, IGradientEstimator estimator, Device device)
    {
        Configuration = configuration;
        Estimator = estimator;
        TensorDevice = device;
        Device = device.type == DeviceType.CUDA ? "cuda" : "cpu";
    }

    public string Device { get; }

    /// <summary>Where the session's tensors live.</summary>
    protected Device TensorDevice { get; }

    protected RunConfiguration Configuration { get; }

    protected IGradientEstimator Estimator { get; }

    /// <summary>The optimiser of the parameters given to <see cref="Train"/>.</summary>
    protected ParameterOptimizer Optimizer =>
        _optimizer ?? throw new InvalidOperationException("The session has not said what it trains (call Train in its constructor).");

    public abstract void Step();

    public abstract IReadOnlyList<MetricValue> Evaluate();

    /// <summary>The session's own checkpoint parts, written after the optimiser's state and before the estimator's.</summary>
    protected abstract IEnumerable<CheckpointPart> State { get; }

    /// <summary>Sets what the run's optimiser (<see cref="RunConfiguration.Optimizer"/>) trains; called once.</summary>
    protected void Train(IEnumerable<Parameter> parameters)
    {
        if (_optimizer is not null) throw new InvalidOperationException("The session's trained parameters are already set.");
        _trained = [.. parameters];
        _optimizer = Own(Optimizers.Create(Configuration.Optimizer, _trained));
    }

    /// <summary>
    /// A random stream of the run: its seed XOR <paramref name="stream"/>, so that the streams of one run differ and
    /// each is the same in every run of that seed (every estimator of a comparison sees the same draws).
    /// </summary>
    protected Generator RandomStream(ulong stream) => Own(new Generator((ulong)Configuration.Seed ^ stream, TensorDevice));

    /// <summary>Disposed with the session, in reverse order of registration.</summary>
    protected T Own<T>(T disposable) where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    /// <summary>A self-tuning estimator's step on its control variate (REBAR, RELAX), before the training backward.</summary>
    protected void Tune(Tensor surrogate, Tensor parameters) => (Estimator as ISelfTuningEstimator)?.Tune(surrogate, parameters);

    /// <summary>Everything a resumed run needs, in the order it is written.</summary>
    private IEnumerable<CheckpointPart> Checkpoint =>
    [
        CheckpointPart.Tensors("trained parameters", _trained),
        new("optimizer", Optimizer.Save, Optimizer.Load),
        .. State,
        new("estimator tuning",
            writer => (Estimator as ISelfTuningEstimator)?.SaveState(writer),
            reader => (Estimator as ISelfTuningEstimator)?.LoadState(reader)),
    ];

    public void Save(BinaryWriter writer)
    {
        foreach (var part in Checkpoint) part.Save(writer);
    }

    public void Load(BinaryReader reader)
    {
        foreach (var part in Checkpoint)
        {
            try
            {
                part.Load(reader);
            }
            catch (Exception exception) when (exception is EndOfStreamException or InvalidDataException or ExternalException)
            {
                throw new CheckpointFormatException(
                    $"its '{part.Name}' part does not read as this worker writes it ({exception.Message})");
            }
        }
    }

    public void Dispose()
    {
        (Estimator as IDisposable)?.Dispose();
        for (int i = _owned.Count - 1; i >= 0; i--) _owned[i].Dispose();
        GC.SuppressFinalize(this);
    }
}

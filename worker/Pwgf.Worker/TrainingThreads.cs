using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Pwgf.Training;

namespace Pwgf.Worker;

/// <summary>
/// The worker's training threads: one <see cref="TorchThread"/> per run it may train at once, created at start-up
/// and reused by every run, so all tensor work of the process starts from these few threads and libtorch keeps
/// one OpenMP team per run (see <see cref="TorchThread"/> for why that matters for speed). Each run sets its
/// thread count on its thread (<see cref="CoreShare"/>).
/// </summary>
public sealed class TrainingThreads : IDisposable
{
    private readonly TorchThread[] _threads;
    private readonly Channel<TorchThread> _free;

    public TrainingThreads(IOptions<WorkerOptions> options)
    {
        var settings = options.Value;
        _threads = [.. Enumerable.Range(1, settings.Concurrency).Select(i => new TorchThread($"training-{i}"))];
        _free = Channel.CreateUnbounded<TorchThread>();
        foreach (var thread in _threads) _free.Writer.TryWrite(thread);
    }

    /// <summary>Runs <paramref name="work"/> on a free training thread (waiting for one if all are busy).</summary>
    public async Task RunAsync(Func<Task> work, CancellationToken cancellationToken)
    {
        var thread = await _free.Reader.ReadAsync(cancellationToken);
        try
        {
            await thread.RunAsync(work);
        }
        finally
        {
            _free.Writer.TryWrite(thread);
        }
    }

    public void Dispose()
    {
        _free.Writer.TryComplete();
        foreach (var thread in _threads) thread.Dispose();
    }
}

using System.Collections.Concurrent;

namespace Pwgf.Training;

/// <summary>
/// One long-lived thread on which asynchronous work runs start to finish: every continuation after an await comes
/// back to it (a single-threaded <see cref="SynchronizationContext"/>), never to a thread-pool thread.
/// <para>
/// Why training needs it: libtorch's CPU parallelism is OpenMP, and OpenMP keeps a team of helper threads for
/// each thread that starts parallel work. An async job that resumes on whatever pool thread is free soon owns
/// several teams; once they outnumber the cores, OpenMP stops spinning between parallel regions and puts its
/// helpers to sleep instead, and every matrix product then waits for a wake-up. A training step started
/// from one thread uses every core; after hops between threads it used fewer and ran slower (docs/performance.md,
/// "One training thread per run").
/// </para>
/// </summary>
public sealed class TorchThread : IDisposable
{
    private readonly BlockingCollection<(SendOrPostCallback Callback, object? State)> _queue = [];
    private readonly Thread _thread;

    /// <param name="name">The thread's name, as debuggers and dumps show it.</param>
    public TorchThread(string name)
    {
        _thread = new Thread(Pump) { Name = name, IsBackground = true };
        _thread.Start();
    }

    /// <summary>The managed id of the thread (for tests and logs).</summary>
    public int ManagedThreadId => _thread.ManagedThreadId;

    /// <summary>Starts <paramref name="work"/> on this thread; its awaits resume here. Completes as the work does.</summary>
    public Task RunAsync(Func<Task> work) => RunAsync(async () =>
    {
        await work();
        return true;
    });

    /// <inheritdoc cref="RunAsync(Func{Task})"/>
    public Task<T> RunAsync<T>(Func<Task<T>> work)
    {
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _queue.Add((async _ =>
        {
            try
            {
                completion.SetResult(await work());
            }
            catch (Exception exception)
            {
                completion.SetException(exception);
            }
        }, null));
        return completion.Task;
    }

    private void Pump()
    {
        SynchronizationContext.SetSynchronizationContext(new Context(this));
        foreach (var (callback, state) in _queue.GetConsumingEnumerable()) callback(state);
    }

    /// <summary>Stops taking work and waits for the thread to finish what it was given.</summary>
    public void Dispose()
    {
        _queue.CompleteAdding();
        if (Thread.CurrentThread != _thread) _thread.Join();
        _queue.Dispose();
    }

    private sealed class Context(TorchThread owner) : SynchronizationContext
    {
        public override void Post(SendOrPostCallback d, object? state)
        {
            try
            {
                owner._queue.Add((d, state));
            }
            catch (Exception exception) when (exception is InvalidOperationException or ObjectDisposedException)
            {
                // The thread has been disposed while some work was still awaiting: let that work finish elsewhere.
                ThreadPool.QueueUserWorkItem(s => d(s), state);
            }
        }

        public override void Send(SendOrPostCallback d, object? state)
        {
            if (Thread.CurrentThread == owner._thread)
            {
                d(state);
                return;
            }
            using var done = new ManualResetEventSlim();
            Exception? failure = null;
            Post(_ =>
            {
                try
                {
                    d(state);
                }
                catch (Exception exception)
                {
                    failure = exception;
                }
                finally
                {
                    done.Set();
                }
            }, null);
            done.Wait();
            if (failure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }

        public override SynchronizationContext CreateCopy() => this;
    }
}

namespace Pwgf.Training;

/// <summary>A metric value at a step, as stored.</summary>
public readonly record struct MetricPoint(string Name, int Step, double Value);

/// <summary>Where a loop reports progress: the worker writes it to PostgreSQL, tests may keep it in memory.</summary>
public interface IProgressSink
{
    /// <summary>
    /// Stores every metric point since the last call and the number of completed steps. Returns false when the
    /// run has been asked to stop.
    /// </summary>
    Task<bool> ReportAsync(int step, IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken);

    /// <summary>Stores the session's state after <paramref name="step"/> completed steps, replacing older ones.</summary>
    Task CheckpointAsync(int step, byte[] state, CancellationToken cancellationToken);
}

/// <summary>Raised when a run stops because someone asked it to (not a failure, not a shutdown).</summary>
public sealed class TrainingStoppedException(int step) : OperationCanceledException($"Stopped on request after step {step}.")
{
    public int Step => step;
}

/// <summary>
/// Runs a session from a starting step to the end: evaluates at step 0, every evalEvery steps and at the end;
/// flushes metric points in batches (at most one flush per interval, plus the last), never one write per point;
/// checkpoints every <paramref name="checkpointEvery"/> steps (0: never) and whenever it stops early, so a re-run
/// continues where this one ended.
/// </summary>
public sealed class TrainingLoop(TimeSpan flushInterval, int checkpointEvery)
{
    public async Task RunAsync(
        ITrainingSession session,
        int startStep,
        int steps,
        int evalEvery,
        IProgressSink sink,
        CancellationToken cancellationToken)
    {
        var pending = new List<MetricPoint>();
        var sinceFlush = System.Diagnostics.Stopwatch.StartNew();
        int completed = startStep;
        if (startStep == 0) Evaluate(session, 0, pending);

        try
        {
            for (int step = startStep + 1; step <= steps; step++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                session.Step();
                completed = step;
                if (step % evalEvery == 0 || step == steps) Evaluate(session, step, pending);

                bool checkpoint = checkpointEvery > 0 && step % checkpointEvery == 0 && step < steps;
                if (step < steps && !checkpoint && sinceFlush.Elapsed < flushInterval) continue;

                bool goOn = await sink.ReportAsync(step, pending, cancellationToken);
                pending = [];
                sinceFlush.Restart();
                if (checkpoint || !goOn) await sink.CheckpointAsync(step, SessionCheckpoint.Capture(session), cancellationToken);
                if (!goOn) throw new TrainingStoppedException(step);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The worker is shutting down: keep the points and the state of the steps already done.
            await sink.ReportAsync(completed, pending, CancellationToken.None);
            await sink.CheckpointAsync(completed, SessionCheckpoint.Capture(session), CancellationToken.None);
            throw;
        }
    }

    private static void Evaluate(ITrainingSession session, int step, List<MetricPoint> pending) =>
        pending.AddRange(session.Evaluate().Select(m => new MetricPoint(m.Name, step, m.Value)));
}

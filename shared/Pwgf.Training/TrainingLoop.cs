namespace Pwgf.Training;

/// <summary>A metric value at a step, as stored.</summary>
public readonly record struct MetricPoint(string Name, int Step, double Value);

/// <summary>Where a loop reports progress: the worker writes it to PostgreSQL, tests may keep it in memory.</summary>
public interface IProgressSink
{
    /// <summary>Called with every metric point since the last call and the number of completed steps.</summary>
    Task ReportAsync(int step, IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken);
}

/// <summary>
/// Runs a session for its steps, evaluating at step 0, every evalEvery steps and at the end, and flushing metric
/// points in batches (at most one flush per flush interval, plus the last one), never one write per point.
/// </summary>
public sealed class TrainingLoop(TimeSpan flushInterval)
{
    public async Task RunAsync(
        ITrainingSession session,
        int steps,
        int evalEvery,
        IProgressSink sink,
        CancellationToken cancellationToken)
    {
        var pending = new List<MetricPoint>();
        var sinceFlush = System.Diagnostics.Stopwatch.StartNew();
        Evaluate(session, 0, pending);

        for (int step = 1; step <= steps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            session.Step();
            if (step % evalEvery == 0 || step == steps) Evaluate(session, step, pending);

            if (step == steps || sinceFlush.Elapsed >= flushInterval)
            {
                await sink.ReportAsync(step, pending, cancellationToken);
                pending = [];
                sinceFlush.Restart();
            }
        }
    }

    private static void Evaluate(ITrainingSession session, int step, List<MetricPoint> pending) =>
        pending.AddRange(session.Evaluate().Select(m => new MetricPoint(m.Name, step, m.Value)));
}

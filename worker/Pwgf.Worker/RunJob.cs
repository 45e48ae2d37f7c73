using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pwgf.Estimators;
using Pwgf.Infrastructure;
using Pwgf.Infrastructure.Entities;
using Pwgf.Infrastructure.Jobs;
using Pwgf.Training;
using static TorchSharp.torch;

namespace Pwgf.Worker;

/// <summary>Trains one run: builds the task's session and estimator, runs the loop, records progress and outcome.</summary>
public sealed partial class RunJob(
    PwgfDbContext db,
    TimeProvider clock,
    IOptions<WorkerOptions> options,
    ILogger<RunJob> logger) : IRunJob
{
    public async Task ExecuteAsync(Guid runId, CancellationToken cancellationToken)
    {
        var run = await db.Runs.SingleOrDefaultAsync(r => r.Id == runId, cancellationToken);
        if (run is null)
        {
            LogMissing(runId);
            return;
        }
        if (run.Status.IsFinal())
        {
            LogAlreadyFinal(runId, run.Status);
            return;
        }
        if (run.Status == RunStatus.Running)
        {
            // The previous execution died without a word (killed worker); start again from step 0.
            run.Requeue();
        }

        if (options.Value.TorchThreads > 0) set_num_threads(options.Value.TorchThreads);
        var configuration = JsonSerializer.Deserialize<RunConfiguration>(run.Configuration, RunJson.Options)
            ?? throw new InvalidOperationException($"Run {runId} has no configuration.");

        try
        {
            using var session = StartSession(configuration);
            run.Start(session.Device, clock.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
            LogStarted(runId, configuration.Task, run.Estimator, configuration.Seed, session.Device);

            var loop = new TrainingLoop(options.Value.FlushInterval);
            await loop.RunAsync(session, configuration.Steps, configuration.EvalEvery, new DatabaseProgressSink(db, run), cancellationToken);

            run.Succeed(clock.GetUtcNow());
            await db.SaveChangesAsync(CancellationToken.None);
            LogSucceeded(runId);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The worker is shutting down: hand the run back so that the re-queued job trains it again.
            if (run.Status == RunStatus.Running) run.Requeue();
            await db.SaveChangesAsync(CancellationToken.None);
            throw;
        }
        catch (Exception exception)
        {
            LogFailed(exception, runId);
            run.Fail(exception.Message, clock.GetUtcNow());
            await db.SaveChangesAsync(CancellationToken.None);
            throw;
        }
    }

    private static ITrainingSession StartSession(RunConfiguration configuration)
    {
        var task = TaskRegistry.Find(configuration.Task)
            ?? throw new InvalidOperationException($"Unknown task '{configuration.Task}'.");
        var estimator = (EstimatorRegistry.Find(configuration.Estimator)
                ?? throw new InvalidOperationException($"Unknown estimator '{configuration.Estimator}'."))
            .Build(task.Distribution, configuration.EstimatorParameters);
        return task.Start(configuration, estimator, Devices.Best());
    }

    /// <summary>Each report writes its metric batch and the run's step in one transaction.</summary>
    private sealed class DatabaseProgressSink(PwgfDbContext db, Run run) : IProgressSink
    {
        public async Task ReportAsync(int step, IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.WriteAsync(run.Id, points, cancellationToken);
            run.ReportProgress(step);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
    }

    [LoggerMessage(LogLevel.Warning, "Run {RunId} does not exist; nothing to do")]
    private partial void LogMissing(Guid runId);

    [LoggerMessage(LogLevel.Information, "Run {RunId} is already {Status}; nothing to do")]
    private partial void LogAlreadyFinal(Guid runId, RunStatus status);

    [LoggerMessage(LogLevel.Information, "Run {RunId} started: {Task} with {Estimator}, seed {Seed}, on {Device}")]
    private partial void LogStarted(Guid runId, string task, string estimator, long seed, string device);

    [LoggerMessage(LogLevel.Information, "Run {RunId} succeeded")]
    private partial void LogSucceeded(Guid runId);

    [LoggerMessage(LogLevel.Error, "Run {RunId} failed")]
    private partial void LogFailed(Exception exception, Guid runId);
}

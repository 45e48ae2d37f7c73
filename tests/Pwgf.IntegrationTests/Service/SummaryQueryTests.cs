using Microsoft.EntityFrameworkCore;
using Pwgf.Api.Comparisons;
using Pwgf.Infrastructure;
using Pwgf.Infrastructure.Entities;
using Pwgf.IntegrationTests.Support;
using Pwgf.Training;

namespace Pwgf.IntegrationTests.Service;

/// <summary>
/// The summary's two queries against PostgreSQL, on metric curves written by hand into a database of this class's
/// own (no task of the catalogue records a validation metric yet, so no real run exercises that query).
/// </summary>
public sealed class SummaryQueryTests : IAsyncLifetime
{
    private const string Score = "test_score";
    private const string Validation = "valid_score";

    private string _connection = "";

    public async Task InitializeAsync()
    {
        _connection = await TestCluster.CreateDatabaseAsync("pwgf_summary");
        await using var db = Open();
        await db.Database.MigrateAsync();
    }

    public Task DisposeAsync() => TestCluster.DropDatabaseAsync(_connection);

    [Fact]
    public async Task Runs_are_scored_at_their_last_step_and_at_their_lowest_validation_step()
    {
        await using var db = Open();
        var now = DateTimeOffset.UtcNow;
        var comparison = new Comparison(Specification, idempotencyKey: null, now);
        var tied = NewRun(comparison, "a", now, succeeded: true);
        var gappy = NewRun(comparison, "a", now, succeeded: true);
        var failed = NewRun(comparison, "b", now, succeeded: false);
        db.Comparisons.Add(comparison);

        // Validation ties at steps 100 and 200: the earlier one wins.
        Record(db, tied, Score, (0, 10), (100, 8), (200, 7), (300, 9));
        Record(db, tied, Validation, (0, 11), (100, 6), (200, 6), (300, 8));
        // A NaN validation never wins, nor does a step (150) where the score was not recorded.
        Record(db, gappy, Score, (0, 20), (100, 30), (200, 25), (300, 22));
        Record(db, gappy, Validation, (0, 5), (100, double.NaN), (150, 1), (200, 4));
        Record(db, gappy, "grad_cosine", (300, -1), (400, 0.5));
        // A failed run's curves are not read.
        Record(db, failed, Score, (0, 1));
        Record(db, failed, Validation, (0, 1));
        await db.SaveChangesAsync();

        var scores = (await ComparisonSummary.ReadRunScoresAsync(db, comparison.Runs, Score, Validation, CancellationToken.None)).ToList();

        Assert.Equal(
            [
                new RunScore("a", true, FinalScore: 9, BestStep: 100, ScoreAtBestStep: 8),
                new RunScore("a", true, FinalScore: 22, BestStep: 200, ScoreAtBestStep: 25),
                new RunScore("b", false, FinalScore: null),
            ],
            scores);

        var withoutValidation = await ComparisonSummary.ReadRunScoresAsync(db, comparison.Runs, Score, validationMetric: null, CancellationToken.None);
        Assert.Equal([9.0, 22.0, null], withoutValidation.Select(s => s.FinalScore));
        Assert.All(withoutValidation, s => Assert.Null(s.BestStep));
    }

    /// <summary>A comparison of 300 steps on a task that is not in the catalogue.</summary>
    private static readonly ComparisonSpecification Specification = new("made-up-task", new Dictionary<string, double>(),
        [new EstimatorChoice("st", "st", new Dictionary<string, double>())], [0, 1, 2], 300, new OptimizerSpecification("adam", 0.01), 100);

    private PwgfDbContext Open() => new(new DbContextOptionsBuilder<PwgfDbContext>()
        .UseNpgsql(_connection, npgsql => npgsql.MigrationsAssembly("Pwgf.Migrations").MigrationsHistoryTable("__ef_migrations", "pwgf"))
        .UseSnakeCaseNamingConvention()
        .Options);

    private static Run NewRun(Comparison comparison, string estimator, DateTimeOffset now, bool succeeded)
    {
        var run = new Run(comparison.Id, estimator, Specification.RunOf(Specification.Estimators[0], seed: comparison.Runs.Count), now);
        run.Start("test", new RunManifest(run.ConfigHash, run.Seed, RunManifest.UnknownCommit, "", "", "cpu", 1, "test", "", ""), now);
        if (succeeded)
        {
            run.ReportProgress(300, now);
            run.Succeed(now);
        }
        else
        {
            run.Fail("made up", now);
        }
        comparison.Runs.Add(run);
        return run;
    }

    private static void Record(PwgfDbContext db, Run run, string name, params (int Step, double Value)[] points)
    {
        foreach (var (step, value) in points) db.Metrics.Add(new MetricRow { RunId = run.Id, Name = name, Step = step, Value = value });
    }
}

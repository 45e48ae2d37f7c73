using Microsoft.EntityFrameworkCore;
using Npgsql;
using Pwgf.Infrastructure;
using Pwgf.Infrastructure.Entities;
using Pwgf.IntegrationTests.Support;
using Pwgf.Training;

namespace Pwgf.IntegrationTests.Service;

/// <summary>
/// Rows written before the stored documents became typed records (their JSON inserted here verbatim, as the earlier
/// build wrote it) read into the records, and rows written now hold the same JSON, in a database of this class's own.
/// </summary>
public sealed class StoredDocumentRowTests : IAsyncLifetime
{
    private const string SpecificationJson =
        """{"task":"poisson-toy","taskOptions":{"dims":3,"target":3.4,"batchSize":16,"diagnosticSamples":1000},"estimators":[{"name":"reinforce-loo","label":"reinforce-loo(samples=4)","parameters":{"samples":4}}],"seeds":[5],"steps":200,"optimizer":{"name":"sgd","learningRate":0.02},"evalEvery":10,"taskLists":null,"taskChoices":null}""";

    private const string ConfigurationJson =
        """{"task":"poisson-toy","taskOptions":{"dims":3,"target":3.4,"batchSize":16,"diagnosticSamples":1000},"estimator":"reinforce-loo","estimatorParameters":{"samples":4},"seed":5,"steps":200,"optimizer":{"name":"sgd","learningRate":0.02},"evalEvery":10,"taskLists":null,"taskChoices":null}""";

    private const string ManifestJson =
        """{"configHash":"h","seed":5,"commit":"unknown","torchSharpVersion":"0.105.0","libtorchVersion":"2.5.1","device":"cpu","torchThreads":2,"worker":"host:1:aa","runtimeVersion":".NET 10.0.0","osDescription":"Linux","threadsChangedAfterStep":null}""";

    /// <summary>SHA-256 of ConfigurationJson's canonical form, computed with Python (json.dumps sort_keys, hashlib).</summary>
    private const string ConfigurationHash = "49cfc4f9b51452dcfdc6b6671d891baf7c5563e7da0353188e9b16c942160964";

    private string _connection = "";

    public async Task InitializeAsync()
    {
        _connection = await TestCluster.CreateDatabaseAsync("pwgf_documents");
        await using var db = Open();
        await db.Database.MigrateAsync();
    }

    public Task DisposeAsync() => TestCluster.DropDatabaseAsync(_connection);

    [Fact]
    public async Task Rows_of_the_earlier_build_read_into_the_typed_documents()
    {
        var (comparisonId, runId) = await InsertOldRowsAsync();

        await using var db = Open();
        var comparison = await db.Comparisons.Include(c => c.Runs).SingleAsync(c => c.Id == comparisonId);
        var run = comparison.Runs.Single(r => r.Id == runId);

        var specification = comparison.Specification;
        Assert.Equal(("poisson-toy", 200, 10), (specification.Task, specification.Steps, specification.EvalEvery));
        Assert.Equal(new OptimizerSpecification("sgd", 0.02), specification.Optimizer);
        Assert.Equal([5L], specification.Seeds);
        var estimator = Assert.Single(specification.Estimators);
        Assert.Equal(("reinforce-loo", "reinforce-loo(samples=4)", 4.0), (estimator.Name, estimator.Label, estimator.Parameters["samples"]));
        Assert.Equal(3.4, specification.TaskOptions["target"]);
        Assert.Null(specification.TaskLists);

        Assert.Equal(specification.RunOf(estimator, 5), run.Configuration with
        {
            // Dictionaries compare by reference; their contents are compared below.
            TaskOptions = specification.TaskOptions,
            EstimatorParameters = estimator.Parameters,
        });
        Assert.Equal(specification.TaskOptions, run.Configuration.TaskOptions);
        Assert.Equal(estimator.Parameters, run.Configuration.EstimatorParameters);
        // The hash of what was read is the hash the row was stored with.
        Assert.Equal(run.ConfigHash, RunJson.Hash(run.Configuration));

        Assert.Equal(new RunManifest("h", 5, "unknown", "0.105.0", "2.5.1", "cpu", 2, "host:1:aa", ".NET 10.0.0", "Linux"), run.Manifest);
    }

    [Fact]
    public async Task Rows_written_now_hold_the_earlier_json_and_an_unchanged_document_is_not_written_again()
    {
        var specification = RunJson.Deserialize<ComparisonSpecification>(SpecificationJson);
        var comparison = new Comparison(specification, idempotencyKey: null, DateTimeOffset.UtcNow);
        var run = new Run(comparison.Id, specification.Estimators[0].Label, specification.RunOf(specification.Estimators[0], 5), DateTimeOffset.UtcNow);
        comparison.Runs.Add(run);
        await using (var db = Open())
        {
            db.Comparisons.Add(comparison);
            await db.SaveChangesAsync();
        }

        Assert.True(await ScalarAsync<bool>("SELECT specification = @json::jsonb FROM pwgf.comparisons WHERE id = @id", comparison.Id, SpecificationJson));
        Assert.True(await ScalarAsync<bool>("SELECT configuration = @json::jsonb FROM pwgf.runs WHERE id = @id", run.Id, ConfigurationJson));
        Assert.Equal(ConfigurationHash, await ScalarAsync<string>("SELECT config_hash FROM pwgf.runs WHERE id = @id", run.Id));

        await using (var db = Open())
        {
            var loaded = await db.Runs.SingleAsync(r => r.Id == run.Id);
            loaded.Start("test", RunJson.Deserialize<RunManifest>(ManifestJson), DateTimeOffset.UtcNow);
            db.ChangeTracker.DetectChanges();
            Assert.False(db.Entry(loaded).Property(r => r.Configuration).IsModified);
            Assert.True(db.Entry(loaded).Property(r => r.Manifest).IsModified);
            await db.SaveChangesAsync();
        }
        Assert.True(await ScalarAsync<bool>("SELECT manifest = @json::jsonb FROM pwgf.runs WHERE id = @id", run.Id, ManifestJson));
    }

    /// <summary>A comparison and its run as the earlier build stored them: JSON text, the hash computed from it.</summary>
    private async Task<(Guid Comparison, Guid Run)> InsertOldRowsAsync()
    {
        Guid comparisonId = Guid.NewGuid(), runId = Guid.NewGuid();
        await using var connection = new NpgsqlConnection(_connection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO pwgf.comparisons (id, task, specification, created_at, request_hash) VALUES (@comparison, 'poisson-toy', @specification::jsonb, now(), 'r');
            INSERT INTO pwgf.runs (id, comparison_id, estimator, seed, steps, configuration, status, step, created_at, attempts, config_hash, manifest)
            VALUES (@run, @comparison, 'reinforce-loo(samples=4)', 5, 200, @configuration::jsonb, 'Queued', 0, now(), 0, @hash, @manifest::jsonb);
            """, connection);
        command.Parameters.AddWithValue("comparison", comparisonId);
        command.Parameters.AddWithValue("run", runId);
        command.Parameters.AddWithValue("specification", SpecificationJson);
        command.Parameters.AddWithValue("configuration", ConfigurationJson);
        command.Parameters.AddWithValue("manifest", ManifestJson);
        command.Parameters.AddWithValue("hash", ConfigurationHash);
        await command.ExecuteNonQueryAsync();
        return (comparisonId, runId);
    }

    private async Task<T> ScalarAsync<T>(string sql, Guid id, string? json = null)
    {
        await using var connection = new NpgsqlConnection(_connection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("id", id);
        if (json is not null) command.Parameters.AddWithValue("json", json);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private PwgfDbContext Open() => new(new DbContextOptionsBuilder<PwgfDbContext>()
        .UseNpgsql(_connection, npgsql => npgsql.MigrationsAssembly("Pwgf.Migrations").MigrationsHistoryTable("__ef_migrations", "pwgf"))
        .UseSnakeCaseNamingConvention()
        .Options);
}

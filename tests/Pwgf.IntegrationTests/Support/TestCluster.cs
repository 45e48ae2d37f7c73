using Npgsql;
using Pwgf.LocalStack;

namespace Pwgf.IntegrationTests.Support;

/// <summary>
/// The throwaway PostgreSQL cluster of this test run. ./pwgf test starts one and passes PWGF_TEST_CONNECTION and
/// PWGF_TEST_PGDIR; when the tests are started another way (dotnet test), the first use starts one in a temporary
/// folder and stops it when the run ends. Each test fixture creates its own database in it.
/// </summary>
public static class TestCluster
{
    private static readonly Lazy<(string Admin, PostgresCluster Cluster)> Started = new(StartOrReuse, LazyThreadSafetyMode.ExecutionAndPublication);

    public static string Admin => Started.Value.Admin;

    /// <summary>
    /// Restarts the cluster (fast shutdown: open connections are cut), as an operator or a crash would. Only tests of
    /// <see cref="DatabaseRestartCollection"/> may call it: nothing else uses the cluster while they run.
    /// </summary>
    public static async Task RestartAsync()
    {
        await Started.Value.Cluster.RestartAsync();
        NpgsqlConnection.ClearAllPools(); // this process's pooled connections died with the old server
    }

    public static async Task<string> CreateDatabaseAsync(string prefix)
    {
        string name = $"{prefix}_{Guid.NewGuid():N}"[..40];
        await using var connection = new NpgsqlConnection(Admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(Admin) { Database = name }.ConnectionString;
    }

    public static async Task DropDatabaseAsync(string connectionString)
    {
        string name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(Admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }

    private static (string, PostgresCluster) StartOrReuse()
    {
        var binaries = PostgresBinaries.Require();
        if (Environment.GetEnvironmentVariable("PWGF_TEST_CONNECTION") is { Length: > 0 } given
            && Environment.GetEnvironmentVariable("PWGF_TEST_PGDIR") is { Length: > 0 } directory)
        {
            return (given, new PostgresCluster(directory, binaries));
        }

        var cluster = new PostgresCluster(Directory.CreateTempSubdirectory("pwgf-test-pg-").FullName, binaries);
        cluster.SetServerOptions(["fsync=off", "synchronous_commit=off", "full_page_writes=off"]);
        cluster.StartAsync(firstPort: 56000 + Random.Shared.Next(1000)).GetAwaiter().GetResult();
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            cluster.StopAsync().GetAwaiter().GetResult();
            Directory.Delete(cluster.Directory, recursive: true);
        };
        return (cluster.ConnectionString(), cluster);
    }
}

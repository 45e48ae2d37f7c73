using System.Diagnostics;
using Npgsql;

namespace Pwgf.IntegrationTests.Support;

/// <summary>
/// The throwaway PostgreSQL cluster of this test run. ./pwgf test starts one and passes PWGF_TEST_CONNECTION; when
/// tests are started another way, the first use starts one with the same script and stops it when the run ends.
/// Each test fixture creates its own database in it.
/// </summary>
public static class TestCluster
{
    private static readonly Lazy<string> AdminConnection = new(StartOrReuse, LazyThreadSafetyMode.ExecutionAndPublication);
    private static string? _directory = Environment.GetEnvironmentVariable("PWGF_TEST_PGDIR");

    public static string Admin => AdminConnection.Value;

    /// <summary>Restarts the cluster (fast shutdown: open connections are cut), as an operator or a crash would.</summary>
    public static void Restart()
    {
        _ = Admin;
        Script("pg", "restart", _directory ?? throw new InvalidOperationException("PWGF_TEST_PGDIR is not set."));
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

    private static string StartOrReuse()
    {
        if (Environment.GetEnvironmentVariable("PWGF_TEST_CONNECTION") is { Length: > 0 } given) return given;

        string directory = Directory.CreateTempSubdirectory("pwgf-test-pg-").FullName;
        _directory = directory;
        Script("pg", "start", directory);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            Script("pg", "stop", directory);
            Directory.Delete(directory, recursive: true);
        };
        return Script("pg", "url", directory, "postgres").Trim();
    }

    private static string Script(params string[] arguments)
    {
        var info = new ProcessStartInfo(Path.Combine(Repository.Root, "pwgf"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments) info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"./pwgf {string.Join(' ', arguments)} failed: {error}");
        return output;
    }
}

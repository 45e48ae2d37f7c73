using Pwgf.LocalStack;

namespace Pwgf.IntegrationTests.Service;

/// <summary>A worker with a bad setting stops at start, naming the setting, before it touches the database or takes a job.</summary>
public sealed class WorkerSettingsTests
{
    /// <summary>Nothing listens on port 1: a worker that got past its settings would fail later, on connecting, instead.</summary>
    private const string Unreachable = "Host=127.0.0.1;Port=1;Database=none;Username=none;Timeout=1";

    [Theory]
    [InlineData("Database__MaxPoolSize", "0", "MaxPoolSize")]
    [InlineData("Database__MaxPoolSize", "many", "MaxPoolSize")]
    [InlineData("Jobs__InvisibilityTimeout", "00:00:00", "InvisibilityTimeout")]
    [InlineData("Jobs__InvisibilityTimeout", "soon", "InvisibilityTimeout")]
    [InlineData("ConnectionStrings__Pwgf", "", "No connection string: set ConnectionStrings__Pwgf")]
    [InlineData("Worker__LeaseTimeout", "00:00:00", "LeaseTimeout")]
    public async Task A_bad_setting_stops_the_worker_at_start_with_its_name(string name, string value, string expected)
    {
        var environment = new Dictionary<string, string> { ["ConnectionStrings__Pwgf"] = Unreachable, [name] = value };
        using var worker = ServiceProcess.StartDotnet("worker", Repository.Program("worker", "Pwgf.Worker"), environment);

        int exitCode = await worker.WaitForExitAsync(TimeSpan.FromMinutes(1));

        Assert.NotEqual(0, exitCode);
        Assert.Contains(expected, worker.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Npgsql", worker.Output, StringComparison.Ordinal);
    }
}

using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Pwgf.Infrastructure;
using Pwgf.Infrastructure.Entities;
using Pwgf.Infrastructure.Telemetry;

namespace Pwgf.Api.Hosting;

/// <summary>
/// Publishes the gauge pwgf.runs (runs by state). The counts come from one GROUP BY every few seconds, kept in
/// memory, so a metrics scrape never waits on the database.
/// </summary>
public sealed partial class RunStateSampler : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    private readonly IServiceScopeFactory _scopes;
    private readonly ILogger<RunStateSampler> _logger;
    private IReadOnlyDictionary<RunStatus, int> _counts = new Dictionary<RunStatus, int>();

    public RunStateSampler(IServiceScopeFactory scopes, PwgfMetrics metrics, ILogger<RunStateSampler> logger)
    {
        _scopes = scopes;
        _logger = logger;
        metrics.Meter.CreateObservableGauge("pwgf.runs", Observe, "{run}", "Runs by state.");
    }

    private IEnumerable<Measurement<int>> Observe() =>
        Enum.GetValues<RunStatus>().Select(status =>
            new Measurement<int>(_counts.GetValueOrDefault(status), new KeyValuePair<string, object?>("state", status.ToString())));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                await using var scope = _scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<PwgfDbContext>();
                _counts = await db.Runs.GroupBy(r => r.Status).ToDictionaryAsync(g => g.Key, g => g.Count(), stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogSampleFailed(exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(LogLevel.Warning, "Counting runs by state failed")]
    private partial void LogSampleFailed(Exception exception);
}

using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Memory;
using Pwgf.Infrastructure;
using Pwgf.Infrastructure.Telemetry;

namespace Pwgf.Api.Series;

/// <summary>
/// Thinned series kept in memory, so that fifty dashboards opening the same long run cost one thinning query, not
/// fifty. A thinned series is fixed by its run, metric, cursor, number of targets, the first and last target step,
/// and the run's own last stored step: workers only ever add points after the last stored step, so the same six
/// never show other points, and a grown series is asked for under another last step. (The comparison endpoint thins
/// every run onto targets up to the furthest run's last step, so a run's own last step must be part of the key.)
/// Requests for a series being read wait for that read instead of starting their own; later ones get the kept
/// points until the least recently used are evicted (the cache holds <see cref="CapacityPoints"/> points, a few
/// tens of MB).
/// </summary>
public sealed class ThinnedSeriesCache(IServiceScopeFactory scopes, PwgfMetrics metrics) : IDisposable
{
    public const long CapacityPoints = 1_000_000;
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(10);

    private readonly MemoryCache _kept = new(new MemoryCacheOptions { SizeLimit = CapacityPoints, CompactionPercentage = 0.25 });
    private readonly ConcurrentDictionary<Key, Lazy<Task<IReadOnlyList<MetricPointDto>>>> _reading = new();

    private readonly record struct Key(Guid RunId, string Name, int AfterStep, int Targets, int First, int Last, int RunLastStep);

    /// <summary>
    /// The points of <see cref="SeriesReader.ThinnedAsync"/> for these arguments, read at most once while kept;
    /// runLastStep is the run's own last stored step of the metric (its stamp), which may lie before the last target.
    /// </summary>
    public async Task<IReadOnlyList<MetricPointDto>> GetAsync(
        Guid runId, string name, int afterStep, int targets, int first, int last, int runLastStep, CancellationToken cancellationToken)
    {
        var key = new Key(runId, name, afterStep, targets, first, last, runLastStep);
        if (_kept.TryGetValue(key, out IReadOnlyList<MetricPointDto>? points))
        {
            metrics.SeriesCacheHits.Add(1);
            return points!;
        }
        var reading = _reading.GetOrAdd(key, k => new Lazy<Task<IReadOnlyList<MetricPointDto>>>(() => ReadAsync(k)));
        // A request that gives up stops waiting; the read goes on for the others, on a context of its own.
        return await reading.Value.WaitAsync(cancellationToken);
    }

    private async Task<IReadOnlyList<MetricPointDto>> ReadAsync(Key key)
    {
        try
        {
            // A read that finished between this request's miss and its GetOrAdd has already kept the points.
            if (_kept.TryGetValue(key, out IReadOnlyList<MetricPointDto>? kept))
            {
                metrics.SeriesCacheHits.Add(1);
                return kept!;
            }
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PwgfDbContext>();
            var points = await SeriesReader.ThinnedAsync(db, key.RunId, key.Name, key.AfterStep, key.Targets, key.First, key.Last, CancellationToken.None);
            metrics.SeriesThinned.Add(1);
            _kept.Set(key, points, new MemoryCacheEntryOptions { Size = Math.Max(1, points.Count), SlidingExpiration = Idle });
            return points;
        }
        finally
        {
            _reading.TryRemove(key, out _);
        }
    }

    public void Dispose() => _kept.Dispose();
}

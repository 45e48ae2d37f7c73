using Microsoft.EntityFrameworkCore;
using Pwgf.Api.Contracts;
using Pwgf.Infrastructure;

namespace Pwgf.Api.Apis;

/// <summary>
/// What identifies the state of a metric series: its number of points and its last step (-1 when empty). Workers
/// only ever add points (a retried write skips the ones already stored), so two reads with equal stamps return the
/// same points; the stamp is what entity tags of series are made of.
/// </summary>
public readonly record struct SeriesStamp(int Points, int LastStep)
{
    public static SeriesStamp Of(IReadOnlyList<MetricPointDto> points) => new(points.Count, points.Count == 0 ? -1 : points[^1].Step);

    /// <summary>
    /// The stamps of one metric's points after <paramref name="afterStep"/> for each of <paramref name="runIds"/>,
    /// in one aggregate over the metrics' primary key; a run without such points gets the empty stamp.
    /// </summary>
    public static async Task<Dictionary<Guid, SeriesStamp>> ReadAsync(
        PwgfDbContext db, IReadOnlyCollection<Guid> runIds, string name, int afterStep, CancellationToken cancellationToken)
    {
        var stored = await db.Metrics
            .Where(m => runIds.Contains(m.RunId) && m.Name == name && m.Step > afterStep)
            .GroupBy(m => m.RunId)
            .Select(g => new { RunId = g.Key, Points = g.Count(), LastStep = g.Max(m => m.Step) })
            .ToDictionaryAsync(s => s.RunId, s => new SeriesStamp(s.Points, s.LastStep), cancellationToken);
        return runIds.ToDictionary(id => id, id => stored.GetValueOrDefault(id, new SeriesStamp(0, -1)));
    }
}

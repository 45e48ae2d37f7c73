using Microsoft.EntityFrameworkCore;
using Pwgf.Infrastructure;

namespace Pwgf.Api.Series;

/// <summary>
/// What identifies the state of a metric series: its last step (-1 when empty) and its number of points, counted up to
/// <see cref="CountCap"/>. Workers only ever add points after the last stored step (a retried or resumed write skips
/// the ones already stored), so the last step alone tells two states apart; the capped count only says whether the
/// series is longer than any maxPoints, and stays cheap to read on a series of any length.
/// </summary>
public readonly record struct SeriesStamp(int Points, int LastStep)
{
    /// <summary>One more than the largest maxPoints: a count that reaches it means "longer than any request wants".</summary>
    public const int CountCap = SeriesThinning.MaxPoints + 1;

    public static SeriesStamp Of(IReadOnlyList<MetricPointDto> points) =>
        new(Math.Min(points.Count, CountCap), points.Count == 0 ? -1 : points[^1].Step);

    /// <summary>
    /// The stamps of one metric's points after <paramref name="afterStep"/> for each of <paramref name="runIds"/>: per
    /// run, the last step from the end of the primary key and a count that stops at <see cref="CountCap"/>.
    /// </summary>
    public static async Task<Dictionary<Guid, SeriesStamp>> ReadAsync(
        PwgfDbContext db, IReadOnlyCollection<Guid> runIds, string name, int afterStep, CancellationToken cancellationToken)
    {
        var rows = await db.Database.SqlQueryRaw<StampRow>(
            """
            SELECT r.id AS run_id,
                   coalesce((SELECT max(m.step) FROM pwgf.metrics m WHERE m.run_id = r.id AND m.name = @name AND m.step > @after), -1) AS last_step,
                   (SELECT count(*)::integer FROM (SELECT 1 FROM pwgf.metrics m WHERE m.run_id = r.id AND m.name = @name AND m.step > @after LIMIT @cap) AS x) AS points
            FROM unnest(@ids) AS r(id)
            """,
            new Npgsql.NpgsqlParameter("ids", runIds.ToArray()),
            new Npgsql.NpgsqlParameter("name", name),
            new Npgsql.NpgsqlParameter("after", afterStep),
            new Npgsql.NpgsqlParameter("cap", CountCap)).ToListAsync(cancellationToken);
        var stored = rows.ToDictionary(r => r.RunId, r => new SeriesStamp(r.Points, r.LastStep));
        return runIds.ToDictionary(id => id, id => stored.GetValueOrDefault(id, new SeriesStamp(0, -1)));
    }

    private sealed record StampRow(Guid RunId, int LastStep, int Points);
}

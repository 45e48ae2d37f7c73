using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Pwgf.Infrastructure;

namespace Pwgf.Api.Series;

/// <summary>
/// Thinning done by PostgreSQL: for a series longer than maxPoints, only the kept points leave the database. Each
/// evenly spaced target costs two probes of the metrics' primary key (the last point at or before it, the first
/// after it) and the nearer wins, the earlier on a tie: the same points <see cref="SeriesThinning"/> keeps, without
/// reading the whole series into the API (a 100,000-point series would otherwise be read on every poll).
/// </summary>
public static class SeriesReader
{
    // Steps are integers: "step <= target" is "step <= floor(target)", so both probes compare integers and use the
    // primary key (comparing the integer column with a double would make PostgreSQL scan the whole series).
    private const string Sql = """
        SELECT DISTINCT p.step, p.value
        FROM (SELECT @first + k * @spacing AS target, floor(@first + k * @spacing)::integer AS below
              FROM generate_series(0, @targets - 1) AS k) AS t
        CROSS JOIN LATERAL (
            SELECT c.step, c.value
            FROM (
                (SELECT step, value FROM pwgf.metrics
                 WHERE run_id = @run AND name = @name AND step > @after AND step <= t.below
                 ORDER BY step DESC LIMIT 1)
                UNION ALL
                (SELECT step, value FROM pwgf.metrics
                 WHERE run_id = @run AND name = @name AND step > @after AND step > t.below
                 ORDER BY step LIMIT 1)
            ) AS c
            ORDER BY abs(c.step - t.target), c.step
            LIMIT 1
        ) AS p
        ORDER BY p.step
        """;

    /// <summary>
    /// The first step after <paramref name="afterStep"/> of each run's series (runs without one are left out): one
    /// probe of the primary key per run. (A grouped min over the runs read every point of the series, most of a
    /// page load on a long run: docs/performance.md.)
    /// </summary>
    public static async Task<Dictionary<Guid, int>> FirstStepsAsync(
        PwgfDbContext db, IReadOnlyCollection<Guid> runIds, string name, int afterStep, CancellationToken cancellationToken)
    {
        var rows = await db.Database.SqlQueryRaw<FirstStepRow>(
            """
            SELECT r.id AS run_id, first.step AS step
            FROM unnest(@ids) AS r(id)
            CROSS JOIN LATERAL (
                SELECT m.step FROM pwgf.metrics m
                WHERE m.run_id = r.id AND m.name = @name AND m.step > @after
                ORDER BY m.step LIMIT 1
            ) AS first
            """,
            new NpgsqlParameter("ids", runIds.ToArray()),
            new NpgsqlParameter("name", name),
            new NpgsqlParameter("after", afterStep)).ToListAsync(cancellationToken);
        return rows.ToDictionary(r => r.RunId, r => r.Step);
    }

    private sealed record FirstStepRow(Guid RunId, int Step);

    /// <summary>The points of one series nearest to <paramref name="targets"/> steps spaced evenly from first to last.</summary>
    public static async Task<IReadOnlyList<MetricPointDto>> ThinnedAsync(
        PwgfDbContext db, Guid runId, string name, int afterStep, int targets, int first, int last, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        bool opened = connection.State != System.Data.ConnectionState.Open;
        if (opened) await connection.OpenAsync(cancellationToken);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = Sql;
            command.Parameters.Add(new NpgsqlParameter("targets", targets));
            command.Parameters.Add(new NpgsqlParameter("run", runId));
            command.Parameters.Add(new NpgsqlParameter("name", name));
            command.Parameters.Add(new NpgsqlParameter("after", afterStep));
            command.Parameters.Add(new NpgsqlParameter("first", (double)first));
            command.Parameters.Add(new NpgsqlParameter("spacing", (double)(last - first) / (targets - 1)));
            var points = new List<MetricPointDto>(targets);
            await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) points.Add(new MetricPointDto(reader.GetInt32(0), reader.GetDouble(1)));
            return points;
        }
        finally
        {
            if (opened) await connection.CloseAsync();
        }
    }
}

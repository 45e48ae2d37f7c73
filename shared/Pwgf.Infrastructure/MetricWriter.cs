using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using Pwgf.Training;

namespace Pwgf.Infrastructure;

/// <summary>
/// Writes a batch of metric points as one statement (arrays unnested server-side). A point that is already stored
/// is skipped, so a retried batch never duplicates anything.
/// </summary>
public static class MetricWriter
{
    public static Task<int> WriteAsync(this PwgfDbContext db, Guid runId, IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken)
    {
        if (points.Count == 0) return Task.FromResult(0);
        return db.Database.ExecuteSqlRawAsync(
            """
            INSERT INTO pwgf.metrics (run_id, name, step, value)
            SELECT @run, name, step, value FROM unnest(@names, @steps, @values) AS point(name, step, value)
            ON CONFLICT (run_id, name, step) DO NOTHING
            """,
            [
                new NpgsqlParameter("run", NpgsqlDbType.Uuid) { Value = runId },
                new NpgsqlParameter("names", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = points.Select(p => p.Name).ToArray() },
                new NpgsqlParameter("steps", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = points.Select(p => p.Step).ToArray() },
                new NpgsqlParameter("values", NpgsqlDbType.Array | NpgsqlDbType.Double) { Value = points.Select(p => p.Value).ToArray() },
            ],
            cancellationToken);
    }
}

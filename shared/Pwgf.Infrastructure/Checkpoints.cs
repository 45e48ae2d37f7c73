using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace Pwgf.Infrastructure;

public static class Checkpoints
{
    /// <summary>Stores a run's state, replacing the previous one, in one statement.</summary>
    public static Task<int> SaveCheckpointAsync(this PwgfDbContext db, Guid runId, int step, byte[] state, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlRawAsync(
            """
            INSERT INTO pwgf.checkpoints (run_id, step, state, created_at) VALUES (@run, @step, @state, @now)
            ON CONFLICT (run_id) DO UPDATE SET step = excluded.step, state = excluded.state, created_at = excluded.created_at
            """,
            [
                new NpgsqlParameter("run", NpgsqlDbType.Uuid) { Value = runId },
                new NpgsqlParameter("step", NpgsqlDbType.Integer) { Value = step },
                new NpgsqlParameter("state", NpgsqlDbType.Bytea) { Value = state },
                new NpgsqlParameter("now", NpgsqlDbType.TimestampTz) { Value = now },
            ],
            cancellationToken);
}

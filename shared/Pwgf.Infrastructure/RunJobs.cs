using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace Pwgf.Infrastructure;

public static class RunJobs
{
    /// <summary>
    /// Records which Hangfire job trains each run, in one statement. It bypasses the run's version check on purpose:
    /// a worker may already have started the run (and moved its version) by the time the ids are stored.
    /// </summary>
    public static Task<int> AttachJobsAsync(this PwgfDbContext db, IReadOnlyList<(Guid RunId, string JobId)> jobs, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlRawAsync(
            """
            UPDATE pwgf.runs SET job_id = attached.job_id
            FROM unnest(@runs, @jobs) AS attached(run_id, job_id)
            WHERE runs.id = attached.run_id
            """,
            [
                new NpgsqlParameter("runs", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = jobs.Select(j => j.RunId).ToArray() },
                new NpgsqlParameter("jobs", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = jobs.Select(j => j.JobId).ToArray() },
            ],
            cancellationToken);
}

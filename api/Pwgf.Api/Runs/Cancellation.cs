using System.Linq.Expressions;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Pwgf.Infrastructure;
using Pwgf.Infrastructure.Entities;

namespace Pwgf.Api.Runs;

/// <summary>Cancelling runs, shared by the run and comparison endpoints.</summary>
internal static class Cancellation
{
    private const int Attempts = 5;

    /// <summary>
    /// Asks every matching run to stop and returns them as stored afterwards. Queued runs become Cancelled at once
    /// and their Hangfire jobs are deleted; running ones are marked for their worker. A run that a worker changed
    /// in the meantime (xmin moved) is reloaded and asked again.
    /// </summary>
    public static async Task<List<Run>> CancelAsync(
        PwgfDbContext db, IBackgroundJobClient jobs, TimeProvider clock, Expression<Func<Run, bool>> which, CancellationToken cancellationToken)
    {
        var runs = await db.Runs.Where(which).OrderBy(r => r.CreatedAt).ToListAsync(cancellationToken);
        for (int attempt = 1; runs.Count > 0; attempt++)
        {
            foreach (var run in runs) run.RequestCancel(clock.GetUtcNow());
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                break;
            }
            catch (DbUpdateConcurrencyException conflict) when (attempt < Attempts)
            {
                foreach (var entry in conflict.Entries) await entry.ReloadAsync(cancellationToken);
            }
        }

        foreach (var run in runs.Where(r => r.Status == RunStatus.Cancelled && r.JobId is not null))
        {
            jobs.Delete(run.JobId); // a job that already started sees the Cancelled run and returns
        }
        return runs;
    }
}

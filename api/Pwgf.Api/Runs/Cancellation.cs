using System.Linq.Expressions;
using Hangfire;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Pwgf.Api.Keys;
using Pwgf.Infrastructure;
using Pwgf.Infrastructure.Entities;

namespace Pwgf.Api.Runs;

/// <summary>Cancelling runs, shared by the run and comparison endpoints.</summary>
internal static class Cancellation
{
    private const int Attempts = 5;

    /// <summary>
    /// Asks every matching run to stop and returns them as stored afterwards (empty when none matches). Queued runs
    /// become Cancelled at once and their Hangfire jobs are deleted; running ones are marked for their worker. A run
    /// that a worker changed in the meantime (xmin moved) is reloaded and asked again. Null, with nothing changed,
    /// when a matching run belongs to a comparison that <paramref name="caller"/> may not change (another key's).
    /// </summary>
    public static async Task<List<Run>?> CancelAsync(
        PwgfDbContext db, IBackgroundJobClient jobs, TimeProvider clock, ApiCaller caller, Expression<Func<Run, bool>> which,
        CancellationToken cancellationToken)
    {
        // A comparison's owner never changes, so checking before acting is enough.
        var owners = await db.Runs.Where(which)
            .Join(db.Comparisons, r => r.ComparisonId, c => c.Id, (r, c) => c.CreatedByKey)
            .Distinct()
            .ToListAsync(cancellationToken);
        if (!owners.All(caller.MayChange)) return null;

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

    /// <summary>The 403 for a cancel request on another key's comparison (or one of its runs).</summary>
    public static ProblemHttpResult NotYours(string what) =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: $"This {what} belongs to another API key.",
            detail: "A submit key may cancel only the comparisons (and runs) it submitted; an admin key may cancel any.");
}

using Microsoft.EntityFrameworkCore;
using Pwgf.Api.Catalog;
using Pwgf.Api.Comparisons;
using Pwgf.Api.Hosting;
using Pwgf.Infrastructure;
using Pwgf.Training;

namespace Pwgf.Api.Series;

/// <summary>A run of a comparison, as the metric and plot endpoints name it.</summary>
public sealed record RunIdentity(Guid Id, string Estimator, long Seed);

/// <summary>
/// A comparison's runs in request order and one metric's series of each: what the comparison-wide metrics endpoint
/// and the plots read, in a fixed number of queries whatever the number of runs.
/// </summary>
public sealed record ComparisonRuns(Guid Id, string Task, IReadOnlyList<string> Estimators, IReadOnlyList<RunIdentity> Runs)
{
    /// <summary>The comparison's task, estimator labels and runs, or null when there is no such comparison.</summary>
    public static async Task<ComparisonRuns?> LoadAsync(PwgfDbContext db, Guid id, CancellationToken cancellationToken)
    {
        var row = await db.Comparisons
            .AsNoTracking()
            .Where(c => c.Id == id)
            .Select(c => new { c.Task, c.Specification, Runs = c.Runs.Select(r => new RunIdentity(r.Id, r.Estimator, r.Seed)).ToList() })
            .SingleOrDefaultAsync(cancellationToken);
        if (row is null) return null;
        var specification = row.Specification;
        var labels = specification.Estimators.Select(e => e.Label).ToList();
        return new ComparisonRuns(id, row.Task, labels, InRequestOrder(row.Runs, specification, r => r.Estimator, r => r.Seed));
    }

    /// <summary>Runs in the order the request listed them: estimator by estimator, seed by seed.</summary>
    public static List<T> InRequestOrder<T>(IEnumerable<T> runs, ComparisonSpecification specification, Func<T, string> estimator, Func<T, long> seed)
    {
        var labels = specification.Estimators.Select(e => e.Label).ToList();
        var seeds = specification.Seeds.ToList();
        return runs.OrderBy(r => labels.IndexOf(estimator(r))).ThenBy(r => seeds.IndexOf(seed(r))).ToList();
    }

    /// <summary>The metrics this comparison's task records, or null for a task that has left the catalogue.</summary>
    public IReadOnlyList<string>? KnownMetrics => TaskRegistry.Find(Task)?.MetricNames;

    /// <summary>Why <paramref name="name"/> cannot be read from this comparison, or null when it can.</summary>
    public string? ProblemWithMetric(string? name)
    {
        string known = KnownMetrics is { } metrics ? $" {Task} records {string.Join(", ", metrics)}." : "";
        if (string.IsNullOrWhiteSpace(name)) return $"Required: a metric name.{known}";
        return KnownMetrics is { } names && !names.Contains(name) ? $"'{RequestReading.Clip(name)}' is not a metric of this comparison.{known}" : null;
    }

    /// <summary>What <paramref name="name"/> means for this comparison's task, or null when the task does not record it.</summary>
    public MetricDefinition? Definition(string name) => TaskRegistry.FindMetric(Task, name);

    public async Task<IReadOnlyList<SeriesStamp>> StampsAsync(PwgfDbContext db, string name, int afterStep, CancellationToken cancellationToken)
    {
        var stamps = await SeriesStamp.ReadAsync(db, Runs.Select(r => r.Id).ToList(), name, afterStep, cancellationToken);
        return Runs.Select(r => stamps[r.Id]).ToList();
    }

    /// <summary>Each run's points of <paramref name="name"/> after <paramref name="afterStep"/>, in step order, in the order of <see cref="Runs"/>.</summary>
    public async Task<IReadOnlyList<IReadOnlyList<MetricPointDto>>> ReadSeriesAsync(
        PwgfDbContext db, string name, int afterStep, CancellationToken cancellationToken)
    {
        var ids = Runs.Select(r => r.Id).ToList();
        var rows = await db.Metrics
            .AsNoTracking()
            .Where(m => ids.Contains(m.RunId) && m.Name == name && m.Step > afterStep)
            .OrderBy(m => m.RunId).ThenBy(m => m.Step)
            .Select(m => new { m.RunId, m.Step, m.Value })
            .ToListAsync(cancellationToken);
        var byRun = rows.GroupBy(r => r.RunId).ToDictionary(g => g.Key, g => g.Select(r => new MetricPointDto(r.Step, r.Value)).ToList());
        return Runs.Select(r => (IReadOnlyList<MetricPointDto>)(byRun.GetValueOrDefault(r.Id) ?? [])).ToList();
    }

    /// <summary>
    /// Each run's points of <paramref name="name"/> after <paramref name="afterStep"/>, in the order of
    /// <see cref="Runs"/>, thinned together to at most <paramref name="maxPoints"/> per run (onto targets shared by every
    /// run, <see cref="SeriesThinning.ThinTogether"/>), and the stamps of what they show, for the response's tag.
    /// <paramref name="stamps"/> are this request's stamps of the metric.
    /// </summary>
    public async Task<(IReadOnlyList<IReadOnlyList<MetricPointDto>> Series, IEnumerable<SeriesStamp> Shown)> ReadThinnedAsync(
        PwgfDbContext db, ThinnedSeriesCache cache, string name, int afterStep, int? maxPoints, IReadOnlyList<SeriesStamp> stamps,
        CancellationToken cancellationToken)
    {
        if (maxPoints is { } limit && stamps.Any(s => s.Points > limit))
        {
            // Thinned in the database onto targets shared by every run; the stamped state is what the kept points
            // show, so its stamps make the tag.
            var firsts = await SeriesReader.FirstStepsAsync(db, [.. Runs.Select(r => r.Id)], name, afterStep, cancellationToken);
            int first = firsts.Values.Min(), last = stamps.Max(s => s.LastStep);
            var kept = new List<IReadOnlyList<MetricPointDto>>();
            foreach (var (run, stamp) in Runs.Zip(stamps))
            {
                kept.Add(stamp.Points == 0
                    ? []
                    : await cache.GetAsync(run.Id, name, afterStep, limit, first, last, stamp.LastStep, cancellationToken));
            }
            return (kept, stamps);
        }

        var series = await ReadSeriesAsync(db, name, afterStep, cancellationToken);
        // Tagged by what was read: points stored since the stamps were taken must not hide behind the older tag.
        return (SeriesThinning.ThinTogether(series, maxPoints), series.Select(SeriesStamp.Of).ToList());
    }

    /// <summary>An entity tag for a view of one metric of this comparison: the request's own parameters and every
    /// run's stamp.</summary>
    public string Tag(string kind, IEnumerable<SeriesStamp> stamps, params object?[] request) =>
        EntityTags.Of(kind, [Id, .. request, .. stamps.Select(s => $"{s.Points}@{s.LastStep}")]);
}

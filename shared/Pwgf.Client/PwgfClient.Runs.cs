using System.Net;
using Pwgf.Api.Runs;
using Pwgf.Api.Series;
using Pwgf.Infrastructure.Entities;

namespace Pwgf.Client;

/// <summary>/api/v1/runs.</summary>
public sealed partial class PwgfClient
{
    private const string Runs = "api/v1/runs";

    public Task<RunDetails> GetRunAsync(Guid runId, CancellationToken cancellationToken = default) =>
        GetAsync<RunDetails>($"{Runs}/{runId}", cancellationToken);

    /// <summary>Stops the run (a queued one never starts); answers with the run.</summary>
    public Task<RunDetails> CancelRunAsync(Guid runId, CancellationToken cancellationToken = default) =>
        SendAsync<RunDetails>(HttpMethod.Post, $"{Runs}/{runId}/cancel", null, HttpStatusCode.Accepted, cancellationToken);

    /// <summary>One metric series of a run, in step order: only points after <paramref name="afterStep"/>, thinned to
    /// <paramref name="maxPoints"/> when given; empty when the run never recorded it.</summary>
    public Task<MetricSeries> GetRunMetricsAsync(
        Guid runId, string name, int? afterStep = null, int? maxPoints = null, CancellationToken cancellationToken = default) =>
        GetAsync<MetricSeries>($"{Runs}/{runId}/metrics" + Query(("name", name), ("afterStep", afterStep), ("maxPoints", maxPoints)), cancellationToken);

    /// <summary>
    /// Polls the only run of a one-run comparison until <paramref name="condition"/> holds or the run is final, and
    /// returns it then; <paramref name="cancellationToken"/> bounds the wait.
    /// </summary>
    public async Task<RunDetails> WaitForRunAsync(
        Guid comparisonId, Func<RunDetails, bool> condition, TimeSpan pollInterval, CancellationToken cancellationToken = default)
    {
        var comparison = await WaitForAsync(comparisonId,
            c => c.Runs.Count == 1 && (condition(c.Runs[0]) || c.Runs[0].Status.IsFinal()), pollInterval, cancellationToken);
        return comparison.Runs[0];
    }
}

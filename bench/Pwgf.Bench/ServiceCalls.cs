using Pwgf.Api.Comparisons;
using Pwgf.Api.Runs;
using Pwgf.Client;
using Pwgf.Infrastructure.Entities;

namespace Pwgf.Bench;

/// <summary>A call to the service, or a step around it, that did not give the answer the bench needs to go on.</summary>
public sealed class ServiceException(string message) : Exception(message);

/// <summary>
/// What the benches ask of the service beyond the typed client (<see cref="PwgfClient"/>): the rule for which service
/// they may load, and the few compound calls they share.
/// </summary>
public static class ServiceCalls
{
    /// <summary>
    /// The base address in <paramref name="value"/> when it is plain http on this machine, else null: the benches
    /// load and fill the stack they started, never someone else's service.
    /// </summary>
    public static Uri? LoopbackUrl(string value) =>
        Uri.TryCreate(value.TrimEnd('/') + "/", UriKind.Absolute, out var url) && url.IsLoopback && url.Scheme == Uri.UriSchemeHttp
            ? url
            : null;

    /// <summary>Polls a comparison until it is final; returns it when it succeeded, throws when it ended otherwise.</summary>
    public static async Task<ComparisonDetails> WaitForSuccessAsync(this PwgfClient client, Guid comparisonId, TimeSpan pollInterval, CancellationToken cancellationToken)
    {
        var comparison = await client.WaitForFinalAsync(comparisonId, pollInterval, cancellationToken);
        return comparison.Status == RunStatus.Succeeded ? comparison : throw new ServiceException($"comparison {comparisonId} ended {comparison.Status}");
    }

    /// <summary>The first (in the benches: the only) run of a comparison; null while it has none.</summary>
    public static async Task<RunDetails?> GetFirstRunAsync(this PwgfClient client, Guid comparisonId, CancellationToken cancellationToken) =>
        (await client.GetComparisonAsync(comparisonId, cancellationToken)).Runs.FirstOrDefault();

    /// <summary>One whole metric series of a run (empty when the run never recorded it).</summary>
    public static async Task<IReadOnlyList<MetricPoint>> GetMetricAsync(this PwgfClient client, Guid runId, string name, CancellationToken cancellationToken) =>
        [.. (await client.GetRunMetricsAsync(runId, name, cancellationToken: cancellationToken)).Points.Select(p => new MetricPoint(p.Step, p.Value))];
}

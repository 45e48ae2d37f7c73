using System.Net;
using Microsoft.AspNetCore.Http;
using Pwgf.Api.Comparisons;
using Pwgf.Api.Series;
using Pwgf.Infrastructure.Entities;

namespace Pwgf.Client;

/// <summary>What became of a submission: accepted, or refused with the API's explanation (400, 422, 429).</summary>
public sealed record Submission(ComparisonAccepted? Accepted, HttpStatusCode Status, HttpValidationProblemDetails? Problem)
{
    public Guid? Id => Accepted?.Id;

    /// <summary>The refusal on one line (title, detail, each field's errors); empty when accepted.</summary>
    public string ProblemText => Problem is null ? "" : PwgfApiException.Summarise(Problem);
}

/// <summary>/api/v1/comparisons.</summary>
public sealed partial class PwgfClient
{
    private const string Comparisons = "api/v1/comparisons";

    /// <summary>Submits a comparison and insists on 202.</summary>
    public Task<ComparisonAccepted> SubmitAsync(SubmitComparisonRequest request, string? idempotencyKey = null, CancellationToken cancellationToken = default) =>
        SendAsync<ComparisonAccepted>(HttpMethod.Post, Comparisons, JsonBody(request), HttpStatusCode.Accepted, cancellationToken, idempotencyKey);

    /// <summary>Submits a comparison written as JSON (as documented, or as a test needs it) and insists on 202.</summary>
    public Task<ComparisonAccepted> SubmitAsync(string json, string? idempotencyKey = null, CancellationToken cancellationToken = default) =>
        SendAsync<ComparisonAccepted>(HttpMethod.Post, Comparisons, JsonBody(json), HttpStatusCode.Accepted, cancellationToken, idempotencyKey);

    /// <summary>
    /// Submits a comparison; a refusal of the request itself (400, 422, 429 ProblemDetails) comes back as an answer, so
    /// the caller can report it and go on. Anything else unexpected throws.
    /// </summary>
    public async Task<Submission> TrySubmitAsync(string json, CancellationToken cancellationToken = default)
    {
        using var response = await _http.PostAsync(Comparisons, JsonBody(json), cancellationToken);
        if (response.StatusCode == HttpStatusCode.Accepted)
        {
            return new Submission(await ReadAsync<ComparisonAccepted>(response, $"POST {Comparisons}", HttpStatusCode.Accepted, cancellationToken), response.StatusCode, null);
        }
        var refusal = await RefusedAsync(response, $"POST {Comparisons}", cancellationToken);
        if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity or HttpStatusCode.TooManyRequests)
        {
            return new Submission(null, response.StatusCode, refusal.Problem);
        }
        throw refusal;
    }

    public Task<PageOf<ComparisonListItem>> ListComparisonsAsync(int page = 1, int pageSize = 20, CancellationToken cancellationToken = default) =>
        GetAsync<PageOf<ComparisonListItem>>(Comparisons + Query(("page", page), ("pageSize", pageSize)), cancellationToken);

    /// <summary>The comparison with its runs (in request order) and its per-estimator summary.</summary>
    public Task<ComparisonDetails> GetComparisonAsync(Guid id, CancellationToken cancellationToken = default) =>
        GetAsync<ComparisonDetails>($"{Comparisons}/{id}", cancellationToken);

    /// <summary>Each estimator's mean and standard error of the task's score over its seeds, and its rank.</summary>
    public async Task<IReadOnlyList<EstimatorSummary>> GetSummaryAsync(Guid id, CancellationToken cancellationToken = default) =>
        (await GetComparisonAsync(id, cancellationToken)).Summary;

    /// <summary>Stops every unfinished run; answers with the comparison's combined status.</summary>
    public Task<ComparisonAccepted> CancelComparisonAsync(Guid id, CancellationToken cancellationToken = default) =>
        SendAsync<ComparisonAccepted>(HttpMethod.Post, $"{Comparisons}/{id}/cancel", null, HttpStatusCode.Accepted, cancellationToken);

    /// <summary>One metric of every run, runs in request order; thinned onto shared steps with <paramref name="maxPoints"/>.</summary>
    public Task<ComparisonMetricSeries> GetComparisonMetricsAsync(
        Guid id, string name, int? afterStep = null, int? maxPoints = null, CancellationToken cancellationToken = default) =>
        GetAsync<ComparisonMetricSeries>($"{Comparisons}/{id}/metrics" + Query(("name", name), ("afterStep", afterStep), ("maxPoints", maxPoints)), cancellationToken);

    /// <summary>
    /// One metric as per-estimator mean ± one standard error over seeds, step by step, in the axis units of the
    /// metric's definition (the answer's axis: "linear" or "log10").
    /// </summary>
    public Task<MetricBands> GetComparisonBandsAsync(
        Guid id, string metric, int? afterStep = null, int? maxPoints = null, CancellationToken cancellationToken = default) =>
        GetAsync<MetricBands>($"{Comparisons}/{id}/bands" + Query(("metric", metric), ("afterStep", afterStep), ("maxPoints", maxPoints)), cancellationToken);

    /// <summary>The PNG plot of one metric (mean over seeds per estimator, ± one standard error).</summary>
    public async Task<byte[]> GetPlotAsync(Guid id, string metric, int? width = null, int? height = null, CancellationToken cancellationToken = default)
    {
        string path = $"{Comparisons}/{id}/plots/{Uri.EscapeDataString(metric)}.png" + Query(("width", width), ("height", height));
        using var response = await _http.GetAsync(path, cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK) throw await RefusedAsync(response, $"GET {path}", cancellationToken);
        return await response.Content.ReadAsByteArrayAsync(cancellationToken);
    }

    /// <summary>Polls until every run of the comparison is final (Succeeded, Failed or Cancelled) and returns it then;
    /// <paramref name="cancellationToken"/> bounds the wait.</summary>
    public Task<ComparisonDetails> WaitForFinalAsync(Guid id, TimeSpan pollInterval, CancellationToken cancellationToken = default) =>
        WaitForAsync(id, comparison => comparison.Runs.All(r => r.Status.IsFinal()), pollInterval, cancellationToken);

    /// <summary>Polls until <paramref name="condition"/> holds for the comparison, and returns it then.</summary>
    public async Task<ComparisonDetails> WaitForAsync(
        Guid id, Func<ComparisonDetails, bool> condition, TimeSpan pollInterval, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var comparison = await GetComparisonAsync(id, cancellationToken);
            if (condition(comparison)) return comparison;
            await Task.Delay(pollInterval, cancellationToken);
        }
    }
}

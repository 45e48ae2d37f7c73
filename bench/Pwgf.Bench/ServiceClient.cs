using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Pwgf.Bench;

/// <summary>A call to the service that did not give the answer the bench needs to go on.</summary>
public sealed class ServiceException(string message) : Exception(message);

/// <summary>Progress of one run as the API reports it.</summary>
public readonly record struct RunProgress(Guid RunId, string Status, int Step);

/// <summary>
/// The few calls the load bench makes to a running PwgfService, over one pooled HttpClient. Every request carries
/// the API key when there is one.
/// </summary>
public sealed class ServiceClient : IDisposable
{
    public const string ApiKeyHeader = "X-Api-Key";

    private readonly HttpClient http;

    public ServiceClient(Uri baseAddress, string? apiKey, TimeSpan requestTimeout)
    {
        // One connection per concurrent caller: the pool must not make pollers queue inside this process.
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 1024, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) };
        http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = requestTimeout };
        if (apiKey is not null) http.DefaultRequestHeaders.Add(ApiKeyHeader, apiKey);
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    /// <summary>A plain GET whose body is read in full before the task completes (so timing it covers the body).</summary>
    public Task<HttpResponseMessage> GetAsync(string path, CancellationToken cancellationToken) =>
        http.GetAsync(path, HttpCompletionOption.ResponseContentRead, cancellationToken);

    public async Task<Guid> SubmitAsync(string comparisonJson, CancellationToken cancellationToken)
    {
        using var content = new StringContent(comparisonJson, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync("api/v1/comparisons", content, cancellationToken);
        string body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.Accepted) throw Refused("POST /api/v1/comparisons", response.StatusCode, body);
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("id").GetGuid();
    }

    /// <summary>The first (here: the only) run of a comparison; null while the comparison has no runs.</summary>
    public async Task<RunProgress?> GetFirstRunAsync(Guid comparisonId, CancellationToken cancellationToken)
    {
        using var json = await GetJsonAsync($"api/v1/comparisons/{comparisonId}", cancellationToken);
        var runs = json.RootElement.GetProperty("runs");
        return runs.GetArrayLength() == 0 ? null : ProgressOf(runs[0]);
    }

    public async Task<RunProgress> GetRunAsync(Guid runId, CancellationToken cancellationToken)
    {
        using var json = await GetJsonAsync($"api/v1/runs/{runId}", cancellationToken);
        return ProgressOf(json.RootElement);
    }

    public async Task CancelComparisonAsync(Guid comparisonId, CancellationToken cancellationToken)
    {
        string path = $"api/v1/comparisons/{comparisonId}/cancel";
        using var response = await http.PostAsync(path, content: null, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw Refused($"POST /{path}", response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
        }
    }

    public void Dispose() => http.Dispose();

    private async Task<JsonDocument> GetJsonAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await GetAsync(path, cancellationToken);
        string body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode) throw Refused($"GET /{path}", response.StatusCode, body);
        return JsonDocument.Parse(body);
    }

    private static RunProgress ProgressOf(JsonElement run) =>
        new(run.GetProperty("id").GetGuid(), run.GetProperty("status").GetString() ?? "", run.GetProperty("step").GetInt32());

    private static ServiceException Refused(string request, HttpStatusCode status, string body)
    {
        const int shown = 300;
        string hint = status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
            ? $" The API wants a valid key in {ApiKeyHeader}: set PWGF_API_KEY, or let './pwgf up' write .pwgf/api-key."
            : "";
        string excerpt = body.Length > shown ? body[..shown] + "..." : body;
        return new ServiceException($"{request} answered {(int)status} {status}.{hint} Body: {excerpt}");
    }
}

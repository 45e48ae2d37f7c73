using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Pwgf.Bench;

/// <summary>A call to the service that did not give the answer the bench needs to go on.</summary>
public sealed class ServiceException(string message) : Exception(message);

/// <summary>Progress of one run as the API reports it.</summary>
public readonly record struct RunProgress(Guid RunId, string Status, int Step);

/// <summary>What became of a submission: accepted with an id, or refused by validation with the API's explanation.</summary>
public sealed record SubmissionAnswer(Guid? Id, HttpStatusCode Status, string? Problem);

/// <summary>
/// The few calls the benches make to a running PwgfService, over one pooled HttpClient. Every request carries
/// the API key when there is one.
/// </summary>
public sealed class ServiceClient : IDisposable
{
    public const string ApiKeyHeader = "X-Api-Key";
    public const string ApiKeyVariable = "PWGF_API_KEY";

    private readonly HttpClient http;

    public ServiceClient(Uri baseAddress, string? apiKey, TimeSpan requestTimeout)
    {
        // One connection per concurrent caller: the pool must not make pollers queue inside this process.
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 1024, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) };
        http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = requestTimeout };
        if (apiKey is not null) http.DefaultRequestHeaders.Add(ApiKeyHeader, apiKey);
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    /// <summary>The key to send: $PWGF_API_KEY, else the file `./pwgf up` writes, else none (the API may not want one).</summary>
    public static (string? Key, string Source) FindApiKey(string file)
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable(ApiKeyVariable)?.Trim();
        if (!string.IsNullOrEmpty(fromEnvironment)) return (fromEnvironment, $"sent, from ${ApiKeyVariable}");
        string? fromFile = File.Exists(file) ? File.ReadAllText(file).Trim() : null;
        string shown = Path.GetRelativePath(Environment.CurrentDirectory, file);
        if (shown.StartsWith("..", StringComparison.Ordinal)) shown = file;
        return string.IsNullOrEmpty(fromFile)
            ? (null, $"none sent (no ${ApiKeyVariable}, no {shown})")
            : (fromFile, $"sent, from {shown}");
    }

    /// <summary>
    /// The base address in <paramref name="value"/> when it is plain http on this machine, else null: the benches
    /// load and fill the stack they started, never someone else's service.
    /// </summary>
    public static Uri? LoopbackUrl(string value) =>
        Uri.TryCreate(value.TrimEnd('/') + "/", UriKind.Absolute, out var url) && url.IsLoopback && url.Scheme == Uri.UriSchemeHttp
            ? url
            : null;

    /// <summary>A plain GET whose body is read in full before the task completes (so timing it covers the body).</summary>
    public Task<HttpResponseMessage> GetAsync(string path, CancellationToken cancellationToken) =>
        http.GetAsync(path, HttpCompletionOption.ResponseContentRead, cancellationToken);

    /// <summary>A conditional GET: with an entity tag, the answer is 304 when the resource has not changed.</summary>
    public Task<HttpResponseMessage> GetAsync(string path, string? ifNoneMatch, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (ifNoneMatch is not null) request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        return http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
    }

    public async Task<Guid> SubmitAsync(string comparisonJson, CancellationToken cancellationToken)
    {
        using var content = new StringContent(comparisonJson, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync("api/v1/comparisons", content, cancellationToken);
        string body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.Accepted) throw Refused("POST /api/v1/comparisons", response.StatusCode, body);
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("id").GetGuid();
    }

    /// <summary>
    /// Submits a comparison. A refusal of the request itself (400 or 422, ProblemDetails) comes back as an answer, so
    /// that the caller can report it and go on; anything else unexpected throws.
    /// </summary>
    public async Task<SubmissionAnswer> TrySubmitAsync(string comparisonJson, CancellationToken cancellationToken)
    {
        using var content = new StringContent(comparisonJson, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync("api/v1/comparisons", content, cancellationToken);
        string body = await response.Content.ReadAsStringAsync(cancellationToken);
        switch (response.StatusCode)
        {
            case HttpStatusCode.Accepted:
                using (var json = JsonDocument.Parse(body)) return new SubmissionAnswer(json.RootElement.GetProperty("id").GetGuid(), response.StatusCode, null);
            case HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity:
                return new SubmissionAnswer(null, response.StatusCode, ProblemText(body));
            default:
                throw Refused("POST /api/v1/comparisons", response.StatusCode, body);
        }
    }

    /// <summary>
    /// Polls a comparison until it is final; returns its last read when it succeeded, throws when it ended otherwise.
    /// </summary>
    public async Task<JsonDocument> WaitForSuccessAsync(Guid comparisonId, TimeSpan pollInterval, CancellationToken cancellationToken)
    {
        while (true)
        {
            await Task.Delay(pollInterval, cancellationToken);
            var json = await GetComparisonAsync(comparisonId, cancellationToken);
            string status = json.RootElement.GetProperty("status").GetString() ?? "";
            if (status is "Queued" or "Running")
            {
                json.Dispose();
                continue;
            }
            if (status == "Succeeded") return json;
            json.Dispose();
            throw new ServiceException($"comparison {comparisonId} ended {status}");
        }
    }

    /// <summary>GET /api/v1/comparisons/{id}: the comparison, its runs and its specification as stored.</summary>
    public Task<JsonDocument> GetComparisonAsync(Guid comparisonId, CancellationToken cancellationToken) =>
        GetJsonAsync($"api/v1/comparisons/{comparisonId}", cancellationToken);

    /// <summary>One whole metric series of a run (empty when the run never recorded it).</summary>
    public async Task<IReadOnlyList<MetricPoint>> GetMetricAsync(Guid runId, string name, CancellationToken cancellationToken)
    {
        using var json = await GetJsonAsync($"api/v1/runs/{runId}/metrics?name={Uri.EscapeDataString(name)}", cancellationToken);
        return [.. json.RootElement.GetProperty("points").EnumerateArray()
            .Select(p => new MetricPoint(p.GetProperty("step").GetInt32(), p.GetProperty("value").GetDouble()))];
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

    /// <summary>A ProblemDetails body as one line: its title, then each field's errors.</summary>
    private static string ProblemText(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            var parts = new List<string>();
            if (root.TryGetProperty("title", out var title)) parts.Add(title.GetString() ?? "");
            if (root.TryGetProperty("detail", out var detail)) parts.Add(detail.GetString() ?? "");
            if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
            {
                parts.AddRange(errors.EnumerateObject()
                    .Select(field => $"{field.Name}: {string.Join(" ", field.Value.EnumerateArray().Select(e => e.GetString()))}"));
            }
            return string.Join(" ", parts.Where(p => p.Length > 0));
        }
        catch (JsonException)
        {
            return body;
        }
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

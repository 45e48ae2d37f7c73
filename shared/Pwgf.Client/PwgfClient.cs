using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Pwgf.Api.Hosting;

namespace Pwgf.Client;

/// <summary>
/// PwgfService's REST API as typed calls: requests and answers are the API's own contract records, read and written
/// with the API's JSON conventions. A call that does not get the status it expects throws
/// <see cref="PwgfApiException"/> with the ProblemDetails the API sent. The calls are grouped by resource in the
/// partial files beside this one.
/// </summary>
public sealed partial class PwgfClient : IDisposable
{
    public const string ApiKeyHeader = "X-Api-Key";
    public const string ApiKeyVariable = "PWGF_API_KEY";

    /// <summary>The API's JSON conventions (web defaults, enums by name, NaN as "NaN").</summary>
    public static JsonSerializerOptions Json { get; } = CreateJsonOptions();

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;

    /// <summary>Calls through <paramref name="http"/>, whose BaseAddress is the service and whose default headers
    /// carry the key if one is needed; the caller keeps owning it.</summary>
    public PwgfClient(HttpClient http) => _http = http;

    /// <summary>Calls <paramref name="baseAddress"/> over a pooled client of its own, sending <paramref name="apiKey"/>
    /// with every request when there is one.</summary>
    public PwgfClient(Uri baseAddress, string? apiKey = null, TimeSpan? requestTimeout = null)
    {
        // One connection per concurrent caller: the pool must not make callers queue inside this process.
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 1024, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) };
        _http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = requestTimeout ?? TimeSpan.FromSeconds(100) };
        if (apiKey is not null) _http.DefaultRequestHeaders.Add(ApiKeyHeader, apiKey);
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        _ownsHttp = true;
    }

    /// <summary>
    /// The key to send: $PWGF_API_KEY, else the content of <paramref name="keyFile"/> (./pwgf up writes .pwgf/api-key),
    /// else none (reads may not need one); Source says which, for a report.
    /// </summary>
    public static (string? Key, string Source) FindApiKey(string keyFile)
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable(ApiKeyVariable)?.Trim();
        if (!string.IsNullOrEmpty(fromEnvironment)) return (fromEnvironment, $"sent, from ${ApiKeyVariable}");
        string? fromFile = File.Exists(keyFile) ? File.ReadAllText(keyFile).Trim() : null;
        string shown = Path.GetRelativePath(Environment.CurrentDirectory, keyFile);
        if (shown.StartsWith("..", StringComparison.Ordinal)) shown = keyFile;
        return string.IsNullOrEmpty(fromFile)
            ? (null, $"none sent (no ${ApiKeyVariable}, no {shown})")
            : (fromFile, $"sent, from {shown}");
    }

    /// <summary>
    /// A GET whose body is read in full before the task completes (so timing it covers the body), conditional when
    /// <paramref name="ifNoneMatch"/> is given (304 while unchanged). For load measurements; the caller disposes it.
    /// </summary>
    public Task<HttpResponseMessage> GetRawAsync(string path, string? ifNoneMatch = null, CancellationToken cancellationToken = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (ifNoneMatch is not null) request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        return _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
    }

    public void Dispose()
    {
        if (_ownsHttp) _http.Dispose();
    }

    private async Task<T> GetAsync<T>(string path, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(path, cancellationToken);
        return await ReadAsync<T>(response, $"GET {path}", HttpStatusCode.OK, cancellationToken);
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string path, HttpContent? body, HttpStatusCode expected,
        CancellationToken cancellationToken, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body };
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        using var response = await _http.SendAsync(request, cancellationToken);
        return await ReadAsync<T>(response, $"{method} {path}", expected, cancellationToken);
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, string call, HttpStatusCode expected, CancellationToken cancellationToken)
    {
        if (response.StatusCode != expected) throw await RefusedAsync(response, call, cancellationToken);
        return (await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken))
               ?? throw new PwgfApiException(call, response.StatusCode, null, "an empty body");
    }

    private static async Task<PwgfApiException> RefusedAsync(HttpResponseMessage response, string call, CancellationToken cancellationToken)
    {
        string body = await response.Content.ReadAsStringAsync(cancellationToken);
        return new PwgfApiException(call, response.StatusCode, ProblemOf(response, body), body);
    }

    private static HttpValidationProblemDetails? ProblemOf(HttpResponseMessage response, string body)
    {
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json") return null;
        try
        {
            return JsonSerializer.Deserialize<HttpValidationProblemDetails>(body, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static StringContent JsonBody(string json) => new(json, Encoding.UTF8, "application/json");

    private static JsonContent JsonBody<T>(T value) => JsonContent.Create(value, options: Json);

    private static string Query(params (string Name, object? Value)[] parameters)
    {
        var given = parameters.Where(p => p.Value is not null)
            .Select(p => $"{p.Name}={Uri.EscapeDataString(Convert.ToString(p.Value, System.Globalization.CultureInfo.InvariantCulture)!)}")
            .ToList();
        return given.Count == 0 ? "" : "?" + string.Join("&", given);
    }

    private static JsonSerializerOptions CreateJsonOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        ApiDefaults.Configure(options);
        return options;
    }
}

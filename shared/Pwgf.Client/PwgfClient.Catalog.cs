using System.Net;
using Pwgf.Api.Catalog;
using Pwgf.Api.Diagnostics;
using Pwgf.Api.Keys;
using Pwgf.Training.Data;

namespace Pwgf.Client;

/// <summary>The catalogue (/estimators, /tasks, /datasets), gradient audits (/diagnostics) and keys (/keys).</summary>
public sealed partial class PwgfClient
{
    private const string Keys = "api/v1/keys";

    public Task<IReadOnlyList<EstimatorDescription>> ListEstimatorsAsync(CancellationToken cancellationToken = default) =>
        GetAsync<IReadOnlyList<EstimatorDescription>>("api/v1/estimators", cancellationToken);

    public Task<IReadOnlyList<TaskDescription>> ListTasksAsync(CancellationToken cancellationToken = default) =>
        GetAsync<IReadOnlyList<TaskDescription>>("api/v1/tasks", cancellationToken);

    public Task<IReadOnlyList<DatasetDescription>> ListDatasetsAsync(CancellationToken cancellationToken = default) =>
        GetAsync<IReadOnlyList<DatasetDescription>>("api/v1/datasets", cancellationToken);

    /// <summary>Audits estimators at one parameter point (needs a submit key); a request past a limit throws with 422.</summary>
    public Task<DiagnosticsResponse> AuditAsync(DiagnosticsRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<DiagnosticsResponse>(HttpMethod.Post, "api/v1/diagnostics", JsonBody(request), HttpStatusCode.OK, cancellationToken);

    /// <summary>Audits estimators with a request written as JSON.</summary>
    public Task<DiagnosticsResponse> AuditAsync(string json, CancellationToken cancellationToken = default) =>
        SendAsync<DiagnosticsResponse>(HttpMethod.Post, "api/v1/diagnostics", JsonBody(json), HttpStatusCode.OK, cancellationToken);

    /// <summary>Creates a key (needs an admin key); the answer holds its secret, shown only this once.</summary>
    public Task<CreatedKey> CreateKeyAsync(string name, IReadOnlyList<string> scopes, CancellationToken cancellationToken = default) =>
        SendAsync<CreatedKey>(HttpMethod.Post, Keys, JsonBody(new CreateKeyRequest(name, [.. scopes])), HttpStatusCode.Created, cancellationToken);

    public Task<IReadOnlyList<KeyDetails>> ListKeysAsync(CancellationToken cancellationToken = default) =>
        GetAsync<IReadOnlyList<KeyDetails>>(Keys, cancellationToken);

    public async Task RevokeKeyAsync(Guid id, CancellationToken cancellationToken = default)
    {
        using var response = await _http.DeleteAsync($"{Keys}/{id}", cancellationToken);
        if (response.StatusCode != HttpStatusCode.NoContent) throw await RefusedAsync(response, $"DELETE {Keys}/{id}", cancellationToken);
    }
}

using System.Net;
using Npgsql;
using Pwgf.IntegrationTests.Support;

namespace Pwgf.IntegrationTests.Service;

/// <summary>Mutations need a key with the right scope; reads are open by default; nothing changes on refusal.</summary>
[Collection(ServiceCollection.Name)]
public sealed class ApiKeyTests(ServiceFixture service)
{
    private const string Submission = """{"task": "poisson-toy", "estimators": ["st"], "seeds": [1], "steps": 5}""";

    [Fact]
    public async Task Without_a_key_every_mutation_gets_401_and_changes_nothing()
    {
        var someRun = await AnyRunIdAsync();
        long before = await CountAsync();

        foreach (var (method, path, body) in new (HttpMethod, string, string?)[]
        {
            (HttpMethod.Post, "/api/v1/comparisons", Submission),
            (HttpMethod.Post, $"/api/v1/runs/{someRun}/cancel", null),
            (HttpMethod.Post, "/api/v1/diagnostics", """{"distribution": "bernoulli", "logits": [0], "objective": {"kind": "power", "target": 0.4, "power": 2}, "estimators": ["st"]}"""),
            (HttpMethod.Post, "/api/v1/keys", """{"name": "x", "scopes": ["admin"]}"""),
            (HttpMethod.Get, "/api/v1/keys", null),
            (HttpMethod.Get, "/hangfire", null),
        })
        {
            using var response = await SendAsync(service.Anonymous, method, path, body);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path}: {response.StatusCode}");
            if (!path.StartsWith("/hangfire", StringComparison.Ordinal))
            {
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
            }
        }
        Assert.Equal(before, await CountAsync());
        Assert.Equal("Queued", await RunStatusAsync(someRun));
    }

    [Fact]
    public async Task A_submit_key_may_submit_but_not_manage_keys_or_open_the_dashboard()
    {
        string submitKey = await CreateKeyAsync("submitter", "submit");
        using var client = ClientWith(submitKey);
        long before = await CountAsync();

        using var keys = await client.PostAsync("/api/v1/keys", ServiceFixture.Body("""{"name": "y", "scopes": ["admin"]}"""));
        using var dashboard = await client.GetAsync("/hangfire");
        using var submitted = await client.PostAsync("/api/v1/comparisons", ServiceFixture.Body(Submission));

        Assert.Equal(HttpStatusCode.Forbidden, keys.StatusCode);
        Assert.Equal("application/problem+json", keys.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.Forbidden, dashboard.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        Assert.Equal(before + 2, await CountAsync()); // one comparison, one run; no key created
    }

    [Fact]
    public async Task A_revoked_key_stops_working_and_reads_stay_open()
    {
        string key = await CreateKeyAsync("short-lived", "submit");
        var listed = await service.Api.ListKeysAsync();
        var id = listed.Single(k => k.Name == "short-lived").Id;
        Assert.DoesNotContain(key, await service.Client.GetStringAsync("/api/v1/keys")); // secrets are never listed

        using var revoke = await service.Client.DeleteAsync($"/api/v1/keys/{id}");
        using var client = ClientWith(key);
        using var refused = await client.PostAsync("/api/v1/comparisons", ServiceFixture.Body(Submission));
        using var read = await service.Anonymous.GetAsync("/api/v1/estimators");

        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
    }

    [Fact]
    public async Task The_dashboard_accepts_an_admin_key_once_in_the_query_and_then_from_its_cookie()
    {
        var handler = new HttpClientHandler { UseCookies = true, CookieContainer = new CookieContainer() };
        using var browser = new HttpClient(handler) { BaseAddress = service.BaseAddress };

        using var first = await browser.GetAsync($"/hangfire?api_key={service.AdminKey}");
        using var later = await browser.GetAsync("/hangfire/jobs/enqueued");
        using var stranger = await service.Anonymous.GetAsync("/hangfire/jobs/enqueued");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, stranger.StatusCode);
    }

    [Fact]
    public async Task Submissions_beyond_the_rate_limit_get_429()
    {
        var (api, client) = await service.StartApiAsync(new Dictionary<string, string> { ["Api__SubmissionsPerMinute"] = "2" });
        using (api)
        using (client)
        {
            var statuses = new List<HttpStatusCode>();
            for (int i = 0; i < 3; i++)
            {
                using var response = await client.PostAsync("/api/v1/comparisons", ServiceFixture.Body("""{"task": "poisson-toy", "estimators": ["st"], "seeds": [1], "steps": 0}"""));
                statuses.Add(response.StatusCode);
            }
            Assert.Equal([HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.TooManyRequests], statuses);
        }
    }

    private async Task<string> CreateKeyAsync(string name, string scope)
    {
        return (await service.Api.CreateKeyAsync(name, [scope])).Key;
    }

    private HttpClient ClientWith(string key)
    {
        var client = new HttpClient { BaseAddress = service.BaseAddress };
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string? body) =>
        client.SendAsync(new HttpRequestMessage(method, path) { Content = body is null ? null : ServiceFixture.Body(body) });

    /// <summary>A queued run that nothing will train (its comparison is created directly, without a job).</summary>
    private async Task<Guid> AnyRunIdAsync()
    {
        await using var connection = new NpgsqlConnection(service.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            WITH c AS (INSERT INTO pwgf.comparisons (id, task, specification, created_at, request_hash) VALUES (gen_random_uuid(), 'poisson-toy', '{}', now(), '') RETURNING id)
            INSERT INTO pwgf.runs (id, comparison_id, estimator, seed, steps, configuration, status, step, created_at, attempts, config_hash)
            SELECT gen_random_uuid(), id, 'st', 1, 5, '{}', 'Queued', 0, now(), 0, '' FROM c RETURNING id
            """, connection);
        return (Guid)(await command.ExecuteScalarAsync())!;
    }

    private async Task<string> RunStatusAsync(Guid runId)
    {
        await using var connection = new NpgsqlConnection(service.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT status FROM pwgf.runs WHERE id = @id", connection);
        command.Parameters.AddWithValue("id", runId);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private async Task<long> CountAsync()
    {
        await using var connection = new NpgsqlConnection(service.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT (SELECT count(*) FROM pwgf.comparisons) + (SELECT count(*) FROM pwgf.runs) + (SELECT count(*) FROM pwgf.api_keys)", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}

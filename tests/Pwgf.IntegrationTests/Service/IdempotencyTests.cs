using System.Net;
using System.Net.Http.Json;
using Npgsql;
using Pwgf.Api.Comparisons;
using Pwgf.Api.Runs;
using Pwgf.Client;
using Pwgf.IntegrationTests.Support;

namespace Pwgf.IntegrationTests.Service;

[Collection(ServiceCollection.Name)]
public sealed class IdempotencyTests(ServiceFixture service)
{
    private const string Body = """{"task": "poisson-toy", "estimators": ["st", "pwgf"], "seeds": [3, 4], "steps": 10}""";

    [Fact]
    public async Task The_same_key_and_body_return_the_same_comparison_and_store_it_once()
    {
        string key = Guid.NewGuid().ToString();

        using var first = await PostAsync(Body, key);
        using var second = await PostAsync(Body.Replace("\"steps\": 10", "\"steps\":10"), key); // same request, other spacing

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        var id = (await first.Content.ReadFromJsonAsync<ComparisonAccepted>(PwgfClient.Json))!.Id;
        Assert.Equal(id, (await second.Content.ReadFromJsonAsync<ComparisonAccepted>(PwgfClient.Json))!.Id);
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal(1, await CountAsync(key));
    }

    [Fact]
    public async Task The_same_key_with_another_body_is_refused_with_422()
    {
        string key = Guid.NewGuid().ToString();
        using var first = await PostAsync(Body, key);

        using var other = await PostAsync(Body.Replace("[3, 4]", "[3, 5]"), key);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
        Assert.Equal("application/problem+json", other.Content.Headers.ContentType!.MediaType);
        Assert.Equal(1, await CountAsync(key));
    }

    [Fact]
    public async Task Concurrent_duplicates_create_one_comparison_and_the_others_get_it_or_409()
    {
        string key = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => PostAsync(Body, key)));

        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Accepted, HttpStatusCode.Conflict }));
        var ids = new HashSet<Guid>();
        foreach (var response in responses.Where(r => r.StatusCode == HttpStatusCode.Accepted))
        {
            ids.Add((await response.Content.ReadFromJsonAsync<ComparisonAccepted>(PwgfClient.Json))!.Id);
        }
        Assert.Single(ids);
        Assert.Equal(1, await CountAsync(key));
        foreach (var response in responses) response.Dispose();
    }

    [Fact]
    public async Task Runs_with_the_same_configuration_share_a_config_hash()
    {
        var a = await SubmitAndGetAsync("""{"task": "poisson-toy", "estimators": ["st"], "seeds": [8], "steps": 10}""");
        var b = await SubmitAndGetAsync("""{"task": "poisson-toy", "taskOptions": {"dims": 3}, "estimators": ["st"], "seeds": [8], "steps": 10}""");
        var c = await SubmitAndGetAsync("""{"task": "poisson-toy", "estimators": ["st"], "seeds": [9], "steps": 10}""");

        Assert.Equal(64, a.ConfigHash.Length);
        Assert.Equal(a.ConfigHash, b.ConfigHash); // dims 3 is the default: the same configuration
        Assert.NotEqual(a.ConfigHash, c.ConfigHash);
    }

    private async Task<RunDetails> SubmitAndGetAsync(string json)
    {
        using var response = await PostAsync(json, null);
        var id = (await response.Content.ReadFromJsonAsync<ComparisonAccepted>(PwgfClient.Json))!.Id;
        return Assert.Single((await service.Api.GetComparisonAsync(id)).Runs);
    }

    private Task<HttpResponseMessage> PostAsync(string json, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/comparisons") { Content = ServiceFixture.Body(json) };
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        return service.Client.SendAsync(request);
    }

    private async Task<long> CountAsync(string key)
    {
        await using var connection = new NpgsqlConnection(service.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pwgf.comparisons WHERE idempotency_key = @key", connection);
        command.Parameters.AddWithValue("key", key);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}

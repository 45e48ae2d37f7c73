using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using Pwgf.Api.Comparisons;
using Pwgf.Api.Keys;
using Pwgf.Api.Runs;
using Pwgf.Infrastructure.Entities;
using Pwgf.Client;
using Pwgf.IntegrationTests.Support;

namespace Pwgf.IntegrationTests.Service;

/// <summary>
/// A comparison belongs to the key that submitted it: another submit key may neither cancel it nor meet it through
/// an Idempotency-Key; admin keys may cancel anything. Keys are made through the keys API, requests are real HTTP.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class OwnershipTests(ServiceFixture service)
{
    private const string Quick = """{"task": "poisson-toy", "estimators": ["st"], "seeds": [41], "steps": 10}""";

    [Fact]
    public async Task A_submit_key_cannot_cancel_another_keys_comparison_or_runs_but_its_own_and_an_admin_can()
    {
        var (alice, aliceId) = await CreateKeyAsync("alice", "submit");
        var (bob, _) = await CreateKeyAsync("bob", "submit");
        using (alice)
        using (bob)
        {
            var accepted = await SubmitAsync(alice, """
                {"task": "bernoulli-toy", "estimators": ["st"], "seeds": [1, 2, 3], "steps": 5000000, "evalEvery": 1000}
                """);
            try
            {
                var before = await service.Api.GetComparisonAsync(accepted.Id);
                Assert.Equal(aliceId, before.CreatedByKey);
                var firstRun = before.Runs[0].Id;

                using var comparisonRefused = await bob.PostAsync($"/api/v1/comparisons/{accepted.Id}/cancel", null);
                using var runRefused = await bob.PostAsync($"/api/v1/runs/{firstRun}/cancel", null);

                await AssertForbiddenAsync(comparisonRefused);
                await AssertForbiddenAsync(runRefused);
                var after = await service.Api.GetComparisonAsync(accepted.Id);
                Assert.All(after.Runs, run => Assert.NotEqual(RunStatus.Cancelled, run.Status));

                using var own = await alice.PostAsync($"/api/v1/runs/{firstRun}/cancel", null);
                Assert.Equal(HttpStatusCode.Accepted, own.StatusCode);
                using var admin = await service.Client.PostAsync($"/api/v1/comparisons/{accepted.Id}/cancel", null);
                Assert.Equal(HttpStatusCode.Accepted, admin.StatusCode);
                var cancelled = await service.WithinAsync(TimeSpan.FromMinutes(2), limit => service.Api.WaitForFinalAsync(accepted.Id, ServiceFixture.Poll, limit));
                Assert.All(cancelled.Runs, run => Assert.Equal(RunStatus.Cancelled, run.Status));
            }
            finally
            {
                await service.CancelAsync(accepted.Id);
            }
        }
    }

    [Fact]
    public async Task Idempotency_keys_are_scoped_to_the_api_key_that_sent_them()
    {
        var (alice, aliceId) = await CreateKeyAsync("alice", "submit");
        var (bob, bobId) = await CreateKeyAsync("bob", "submit");
        using (alice)
        using (bob)
        {
            string idempotencyKey = Guid.NewGuid().ToString();
            var first = await SubmitAsync(alice, Quick, idempotencyKey);
            var replay = await SubmitAsync(alice, Quick, idempotencyKey);
            var others = await SubmitAsync(bob, Quick, idempotencyKey);

            Assert.Equal(first.Id, replay.Id);
            Assert.NotEqual(first.Id, others.Id);
            Assert.Equal(aliceId, (await service.Api.GetComparisonAsync(first.Id)).CreatedByKey);
            Assert.Equal(bobId, (await service.Api.GetComparisonAsync(others.Id)).CreatedByKey);

            // Another body under a value alice used is simply a new request of bob's: no 422 naming her comparison.
            string squatted = Guid.NewGuid().ToString();
            var alices = await SubmitAsync(alice, Quick, squatted);
            using var response = await PostAsync(bob, Quick.Replace("[41]", "[42]"), squatted);
            string body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Accepted, body);
            Assert.DoesNotContain(alices.Id.ToString(), body);
        }
    }

    private async Task<(HttpClient Client, Guid Id)> CreateKeyAsync(string name, string scope)
    {
        using var response = await service.Client.PostAsync("/api/v1/keys", ServiceFixture.Body($$"""{"name": "{{name}}", "scopes": ["{{scope}}"]}"""));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var key = (await response.Content.ReadFromJsonAsync<CreatedKey>(PwgfClient.Json))!;
        var client = new HttpClient { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add("X-Api-Key", key.Key);
        return (client, key.Id);
    }

    private static async Task<ComparisonAccepted> SubmitAsync(HttpClient client, string json, string? idempotencyKey = null)
    {
        using var response = await PostAsync(client, json, idempotencyKey);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<ComparisonAccepted>(PwgfClient.Json))!;
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string json, string? idempotencyKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/comparisons") { Content = ServiceFixture.Body(json) };
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return client.SendAsync(request);
    }

    private static async Task AssertForbiddenAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>(PwgfClient.Json);
        Assert.Contains("another API key", problem!.Title);
    }
}

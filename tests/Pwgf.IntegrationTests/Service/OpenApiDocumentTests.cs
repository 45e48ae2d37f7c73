using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Pwgf.Api.Keys;
using Pwgf.Client;
using Pwgf.IntegrationTests.Support;

namespace Pwgf.IntegrationTests.Service;

/// <summary>The OpenAPI document at /swagger/v1/swagger.json documents every operation, and its examples work.</summary>
[Collection(ServiceCollection.Name)]
public sealed class OpenApiDocumentTests(ServiceFixture service)
{
    private async Task<JsonElement> DocumentAsync()
    {
        using var document = JsonDocument.Parse(await service.Anonymous.GetStringAsync("/swagger/v1/swagger.json"));
        return document.RootElement.Clone();
    }

    private static IEnumerable<(string Path, string Method, JsonElement Operation)> Operations(JsonElement document) =>
        document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(op => (path.Name, op.Name, op.Value)));

    private static JsonElement Operation(JsonElement document, string operationId) =>
        Operations(document).Single(o => o.Operation.GetProperty("operationId").GetString() == operationId).Operation;

    [Fact]
    public async Task Every_operation_has_a_name_a_summary_and_a_description()
    {
        var document = await DocumentAsync();

        var operations = Operations(document).ToList();
        Assert.True(operations.Count >= 16, $"only {operations.Count} operations");
        foreach (var (path, method, operation) in operations)
        {
            foreach (var (field, shortest) in new[] { ("operationId", 1), ("summary", 20), ("description", 40) })
            {
                Assert.True(operation.TryGetProperty(field, out var text) && text.GetString()!.Trim().Length >= shortest,
                    $"{method.ToUpperInvariant()} {path} has no {field}");
            }
        }
        foreach (string added in new[] { "GetComparisonMetrics", "PlotComparisonMetric" }) Operation(document, added);
    }

    [Fact]
    public async Task Enums_are_listed_by_name()
    {
        var document = await DocumentAsync();
        var schemas = document.GetProperty("components").GetProperty("schemas");

        var status = schemas.GetProperty("RunStatus");
        Assert.Equal("string", status.GetProperty("type").GetString());
        Assert.Equal(["Queued", "Running", "Succeeded", "Failed", "Cancelled"], Strings(status.GetProperty("enum")));

        // String fields with a fixed set of values list them, from the same registries the validators use.
        var submit = schemas.GetProperty("SubmitComparisonRequest").GetProperty("properties");
        Assert.Superset(new HashSet<string> { "poisson-toy", "bernoulli-vae", "categorical-vae" }, Strings(submit.GetProperty("task").GetProperty("enum")).ToHashSet());
        // An estimator entry (one schema for comparisons and audits): a name, or the name with that estimator's parameters.
        Assert.Equal("#/components/schemas/EstimatorEntry", submit.GetProperty("estimators").GetProperty("items").GetProperty("$ref").GetString());
        var entry = schemas.GetProperty("EstimatorEntry").GetProperty("oneOf");
        Assert.Superset(new HashSet<string> { "st", "pwgf", "reinforce-loo", "disarm" }, Strings(entry[0].GetProperty("enum")).ToHashSet());
        var loo = entry.EnumerateArray().Single(e => e.TryGetProperty("title", out var title) && title.GetString() == "reinforce-loo with parameters");
        Assert.Equal("integer", loo.GetProperty("properties").GetProperty("samples").GetProperty("type").GetString());
        Assert.False(loo.GetProperty("additionalProperties").GetBoolean());
        Assert.Equal(["adam", "sgd"], Strings(schemas.GetProperty("OptimizerRequest").GetProperty("properties").GetProperty("name").GetProperty("enum")));
        Assert.Equal(["bernoulli", "categorical", "poisson"], Strings(schemas.GetProperty("DiagnosticsRequest").GetProperty("properties").GetProperty("distribution").GetProperty("enum")));
        Assert.Equal(["power", "linear-square"], Strings(schemas.GetProperty("DiagnosticsObjectiveRequest").GetProperty("properties").GetProperty("kind").GetProperty("enum")));
        Assert.Equal(["submit", "admin"], Strings(schemas.GetProperty("CreateKeyRequest").GetProperty("properties").GetProperty("scopes").GetProperty("items").GetProperty("enum")));

        foreach (var (operationId, parameter) in new[] { ("GetRunMetrics", "name"), ("GetComparisonMetrics", "name"), ("PlotComparisonMetric", "metric") })
        {
            var names = Operation(document, operationId).GetProperty("parameters").EnumerateArray()
                .Single(p => p.GetProperty("name").GetString() == parameter).GetProperty("schema").GetProperty("enum");
            Assert.Superset(new HashSet<string> { "loss", "grad_log_variance", "test_neg_log_likelihood", "encoder_grad_variance" }, Strings(names).ToHashSet());
        }
    }

    [Fact]
    public async Task Required_request_fields_polymorphic_fields_and_tags_are_described()
    {
        var document = await DocumentAsync();
        var schemas = document.GetProperty("components").GetProperty("schemas");

        Assert.Equal(["estimators", "seeds", "steps", "task"], Strings(schemas.GetProperty("SubmitComparisonRequest").GetProperty("required")).Order());
        Assert.Equal(["distribution", "estimators", "logits", "objective"], Strings(schemas.GetProperty("DiagnosticsRequest").GetProperty("required")).Order());
        Assert.Equal(["name", "scopes"], Strings(schemas.GetProperty("CreateKeyRequest").GetProperty("required")).Order());
        // logits: a vector (Bernoulli, Poisson) or a matrix (categorical).
        var logits = schemas.GetProperty("DiagnosticsRequest").GetProperty("properties").GetProperty("logits").GetProperty("oneOf");
        Assert.Equal("number", logits[0].GetProperty("items").GetProperty("type").GetString());
        Assert.Equal("number", logits[1].GetProperty("items").GetProperty("items").GetProperty("type").GetString());
        // Responses always carry every field.
        Assert.Contains("summary", Strings(schemas.GetProperty("ComparisonDetails").GetProperty("required")));

        Assert.NotEmpty(document.GetProperty("servers")[0].GetProperty("url").GetString()!);
        var tags = document.GetProperty("tags").EnumerateArray().ToDictionary(t => t.GetProperty("name").GetString()!, t => t.GetProperty("description").GetString()!);
        Assert.Equal(["Catalogue", "Comparisons", "Diagnostics", "Keys", "Runs"], tags.Keys.Order());
        Assert.All(tags.Values, description => Assert.True(description.Length > 20));
    }

    [Fact]
    public async Task Polling_endpoints_document_If_None_Match_304_and_the_png()
    {
        var document = await DocumentAsync();

        foreach (string operationId in new[] { "GetComparison", "GetRun", "GetRunMetrics", "GetComparisonMetrics", "PlotComparisonMetric" })
        {
            var operation = Operation(document, operationId);
            Assert.True(operation.GetProperty("responses").TryGetProperty("304", out _), $"{operationId} lacks 304");
            Assert.Contains(operation.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "If-None-Match");
            Assert.True(operation.GetProperty("responses").GetProperty("200").GetProperty("headers").TryGetProperty("ETag", out _));
        }
        Assert.Contains(Operation(document, "GetComparisonMetrics").GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "maxPoints");
        var png = Operation(document, "PlotComparisonMetric").GetProperty("responses").GetProperty("200").GetProperty("content");
        Assert.True(png.TryGetProperty("image/png", out _));
    }

    [Fact]
    public async Task The_documented_request_examples_are_requests_the_api_accepts()
    {
        var document = await DocumentAsync();
        var submit = Operation(document, "SubmitComparison");
        Assert.Contains("bernoulli-vae", submit.GetProperty("description").GetString());
        var comparisons = Examples(submit);
        Assert.Equal(["poisson-toy", "bernoulli-vae"], comparisons.Keys);
        Assert.Equal("fashion-mnist", comparisons["bernoulli-vae"].GetProperty("taskOptions").GetProperty("dataset").GetString());
        var audits = Examples(Operation(document, "AuditGradients"));
        Assert.NotEmpty(audits);
        var keys = Examples(Operation(document, "CreateKey"));
        Assert.NotEmpty(keys);

        var datasets = await service.Api.ListDatasetsAsync();
        bool fashionHere = datasets.Single(d => d.Name == "fashion-mnist").Available;
        foreach (var (name, body) in comparisons)
        {
            if (name == "bernoulli-vae" && !fashionHere) continue; // refused here for the dataset alone, as documented
            var accepted = await service.Api.SubmitAsync(body.GetRawText());
            // Only the acceptance matters here; nothing needs to train.
            await service.Api.CancelComparisonAsync(accepted.Id); // insists on 202 Accepted
        }
        foreach (var (name, body) in audits)
        {
            using var response = await service.Client.PostAsync("/api/v1/diagnostics", ServiceFixture.Body(body.GetRawText()));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{name}: {await response.Content.ReadAsStringAsync()}");
        }
        foreach (var (name, body) in keys)
        {
            using var response = await service.Client.PostAsync("/api/v1/keys", ServiceFixture.Body(body.GetRawText()));
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"{name}: {await response.Content.ReadAsStringAsync()}");
            var created = await response.Content.ReadFromJsonAsync<CreatedKey>(PwgfClient.Json);
            using var revoked = await service.Client.DeleteAsync($"/api/v1/keys/{created!.Id}");
            Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        }
    }

    [Fact]
    public async Task Operations_that_need_a_key_say_so()
    {
        var document = await DocumentAsync();
        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey");
        Assert.Equal(("apiKey", "header", "X-Api-Key"), (scheme.GetProperty("type").GetString(), scheme.GetProperty("in").GetString(), scheme.GetProperty("name").GetString()));

        foreach (string operationId in new[] { "SubmitComparison", "CancelRun", "AuditGradients", "CreateKey" })
        {
            var operation = Operation(document, operationId);
            var requirement = Assert.Single(operation.GetProperty("security").EnumerateArray());
            Assert.True(requirement.TryGetProperty("ApiKey", out _));
            Assert.True(operation.GetProperty("responses").TryGetProperty("401", out _));
        }
        // Reads take a key but do not insist (an empty requirement makes it optional).
        var read = Operation(document, "GetComparison").GetProperty("security").EnumerateArray().ToList();
        Assert.Contains(read, r => r.EnumerateObject().Any() is false);
    }

    private static Dictionary<string, JsonElement> Examples(JsonElement operation) =>
        operation.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("examples")
            .EnumerateObject().ToDictionary(e => e.Name, e => e.Value.GetProperty("value").Clone());

    private static List<string> Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];
}

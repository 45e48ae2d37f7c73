using System.Net;
using System.Text;
using System.Text.Json;
using Npgsql;
using Pwgf.IntegrationTests.Support;

namespace Pwgf.IntegrationTests.Service;

/// <summary>Generated malformed and hostile submissions (fixed seed): every one gets a 4xx ProblemDetails and creates nothing.</summary>
[Collection(ServiceCollection.Name)]
public sealed class HostileSubmissionTests(ServiceFixture service)
{
    private const string Valid = """{"task": "poisson-toy", "estimators": ["st"], "seeds": [1], "steps": 10}""";

    [Fact]
    public async Task Two_hundred_and_more_hostile_submissions_are_refused_without_side_effects()
    {
        var bodies = Generate(new Random(20261128)).ToList();
        Assert.True(bodies.Count >= 200, $"only {bodies.Count} bodies");
        long before = await CountAsync();

        var failures = new List<string>();
        foreach (var (kind, body) in bodies)
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new("application/json");
            // Expect: 100-continue lets the server refuse an oversized body (413) before the client sends it.
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/comparisons") { Content = content };
            request.Headers.ExpectContinue = true;
            using var response = await service.Client.SendAsync(request);
            int status = (int)response.StatusCode;
            string? mediaType = response.Content.Headers.ContentType?.MediaType;
            if (status is < 400 or >= 500 || mediaType != "application/problem+json")
            {
                failures.Add($"{kind}: {status} {mediaType} {Encoding.UTF8.GetString(body[..Math.Min(body.Length, 120)])}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
        Assert.Equal(before, await CountAsync());
    }

    private static IEnumerable<(string Kind, byte[] Body)> Generate(Random random)
    {
        var valid = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(Valid)!;
        string[] fields = ["task", "taskOptions", "estimators", "seeds", "steps", "optimizer", "evalEvery"];
        string[] hostileStrings =
        [
            "'; DROP TABLE pwgf.runs; --", "\" OR 1=1 --", "st\u0000", "../../etc/passwd", "<script>alert(1)</script>",
            new string('x', 100_000), "\uD800", "st' UNION SELECT * FROM pwgf.api_keys --", "", " ", "NaN", "Infinity",
        ];
        string[] hostileNumbers = ["1e400", "-1e400", "1e308", "-0", "9223372036854775808", "2147483648", "0.5", "-1", "1e-400"];

        // 1. Every field replaced by a value of every wrong kind.
        foreach (string field in fields)
        {
            foreach (string value in new[] { "null", "true", "\"text\"", "[]", "{}", "[[[]]]", "-1", "0", "1e400", "[\"st\", null]", "{\"name\": 5}" })
            {
                // Optional fields may be null or empty: those are valid requests, not hostile ones.
                if (field is "taskOptions" or "optimizer" or "evalEvery" && value is "null" or "{}") continue;
                var copy = new Dictionary<string, object?>(valid.ToDictionary(p => p.Key, p => (object?)p.Value)) { [field] = JsonDocument.Parse(value).RootElement };
                yield return ($"{field}={value}", JsonSerializer.SerializeToUtf8Bytes(copy));
            }
        }

        // 2. Hostile strings in every string position, and as unknown field names.
        foreach (string text in hostileStrings)
        {
            yield return ("task string", Json(new { task = text, estimators = new[] { "st" }, seeds = new[] { 1 }, steps = 10 }));
            yield return ("estimator string", Json(new { task = "poisson-toy", estimators = new[] { text }, seeds = new[] { 1 }, steps = 10 }));
            yield return ("estimator parameter", Json(new Dictionary<string, object> { ["task"] = "poisson-toy", ["estimators"] = new[] { new Dictionary<string, object> { ["name"] = "reinforce-loo", [text.Length > 200 ? "long" : text + "k"] = 2 } }, ["seeds"] = new[] { 1 }, ["steps"] = 10 }));
            yield return ("optimizer name", Json(new { task = "poisson-toy", estimators = new[] { "st" }, seeds = new[] { 1 }, steps = 10, optimizer = new { name = text } }));
            yield return ("unknown field", Json(new Dictionary<string, object> { ["task"] = "poisson-toy", ["estimators"] = new[] { "st" }, ["seeds"] = new[] { 1 }, ["steps"] = 10, [text.Length > 200 ? "huge" : text + "_"] = 1 }));
        }

        // 3. Huge, tiny and non-finite numbers in every numeric position (raw text: JSON writers refuse non-finite).
        foreach (string number in hostileNumbers)
        {
            yield return ("steps", Raw($$"""{"task": "poisson-toy", "estimators": ["st"], "seeds": [1], "steps": {{number}}}"""));
            yield return ("seed", Raw($$"""{"task": "poisson-toy", "estimators": ["st"], "seeds": [{{number}}, 1, 1], "steps": 10}"""));
            yield return ("evalEvery", Raw($$"""{"task": "poisson-toy", "estimators": ["st"], "seeds": [1], "steps": 10, "evalEvery": {{number}}}"""));
            yield return ("learningRate", Raw($$$"""{"task": "poisson-toy", "estimators": ["st"], "seeds": [1], "steps": 10, "optimizer": {"name": "adam", "learningRate": -{{{number.TrimStart('-')}}}}}"""));
            yield return ("option", Raw($$$"""{"task": "poisson-toy", "taskOptions": {"dims": {{{number}}}, "target": -{{{number.TrimStart('-')}}}}, "estimators": ["st"], "seeds": [1], "steps": 10}"""));
            yield return ("samples", Raw($$"""{"task": "poisson-toy", "estimators": [{"name": "reinforce-loo", "samples": {{number}}}], "seeds": [1], "steps": 10000001}"""));
        }
        foreach (string literal in new[] { "NaN", "Infinity", "-Infinity", "nan", "inf" })
        {
            yield return ("non-finite literal", Raw($$"""{"task": "poisson-toy", "estimators": ["st"], "seeds": [1], "steps": {{literal}}}"""));
            yield return ("non-finite option", Raw($$$"""{"task": "poisson-toy", "taskOptions": {"target": {{{literal}}}}, "estimators": ["st"], "seeds": [1], "steps": 10}"""));
        }

        // 4. Structure: deep nesting, oversized bodies, broken JSON, random bytes, wrong roots.
        foreach (int depth in new[] { 33, 64, 1000 })
        {
            yield return ($"depth {depth}", Raw($$$"""{"task": "poisson-toy", "estimators": ["st"], "seeds": [1], "steps": 10, "taskOptions": {"dims": {{{new string('[', depth)}}}1{{{new string(']', depth)}}}}}"""));
        }
        yield return ("oversized", Raw($$"""{"task": "poisson-toy", "estimators": [{{string.Join(",", Enumerable.Repeat("\"st\"", 400_000))}}], "seeds": [1], "steps": 10}"""));
        yield return ("too many seeds", Json(new { task = "poisson-toy", estimators = new[] { "st" }, seeds = Enumerable.Range(0, 5000).ToArray(), steps = 10 }));
        yield return ("too many estimators", Json(new { task = "poisson-toy", estimators = Enumerable.Repeat("st", 100).ToArray(), seeds = new[] { 1 }, steps = 10 }));
        foreach (string root in new[] { "", "null", "[]", "\"poisson-toy\"", "42", "{", "{\"task\":", "{}}", "{'task': 'poisson-toy'}" })
        {
            yield return ($"root {root}", Raw(root));
        }
        for (int i = 0; i < 40; i++)
        {
            var bytes = new byte[random.Next(1, 400)];
            random.NextBytes(bytes);
            yield return ("random bytes", bytes);
        }
        for (int i = 0; i < 40; i++)
        {
            // A valid body cut at a random point, or with one random byte changed into a structural character.
            var body = Encoding.UTF8.GetBytes(Valid);
            if (i % 2 == 0) yield return ("truncated", body[..random.Next(0, body.Length - 1)]);
            else
            {
                body[random.Next(body.Length)] = (byte)"{}[]:,\"\\"[random.Next(8)];
                yield return ("corrupted", body);
            }
        }
    }

    private static byte[] Json(object value) => JsonSerializer.SerializeToUtf8Bytes(value);

    private static byte[] Raw(string text) => Encoding.UTF8.GetBytes(text);

    private async Task<long> CountAsync()
    {
        await using var connection = new NpgsqlConnection(service.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT (SELECT count(*) FROM pwgf.comparisons) + (SELECT count(*) FROM pwgf.runs) + (SELECT count(*) FROM hangfire.job)", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}

using System.Net;
using System.Text;
using System.Text.Json;
using Npgsql;
using Pwgf.IntegrationTests.Support;

namespace Pwgf.IntegrationTests.Service;

/// <summary>
/// Generated malformed and hostile submissions (fixed seed): every one gets a 4xx ProblemDetails and creates nothing.
/// Each body is a valid submission except for the one field it targets, and where it targets a field the refusal
/// must name that field, so a body refused for another reason (duplicate seeds, too many steps) fails the test.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class HostileSubmissionTests(ServiceFixture service)
{
    private const string Valid = """{"task": "poisson-toy", "estimators": ["st"], "seeds": [1], "steps": 10}""";

    /// <summary>What the binder says about a field that is not part of the request (BadRequestExceptionHandler).</summary>
    private const string UnknownField = "This field is not part of the request.";

    /// <summary>A hostile body; when <paramref name="Field"/> is set the refusal must name it (or a part of it, such
    /// as "seeds[0]" for "seeds"); when <paramref name="Problem"/> is set some error must say exactly that.</summary>
    private sealed record Hostile(string Kind, byte[] Body, string? Field = null, string? Problem = null);

    [Fact]
    public async Task Two_hundred_and_more_hostile_submissions_are_refused_without_side_effects()
    {
        var bodies = Generate(new Random(20261128)).ToList();
        Assert.True(bodies.Count >= 200, $"only {bodies.Count} bodies");
        Assert.True(bodies.Count(b => b.Field is not null) >= 150, "most bodies target a field");
        long before = await CountAsync();

        var failures = new List<string>();
        foreach (var hostile in bodies)
        {
            using var content = new ByteArrayContent(hostile.Body);
            content.Headers.ContentType = new("application/json");
            // Expect: 100-continue lets the server refuse an oversized body (413) before the client sends it.
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/comparisons") { Content = content };
            request.Headers.ExpectContinue = true;
            using var response = await service.Client.SendAsync(request);
            int status = (int)response.StatusCode;
            string? mediaType = response.Content.Headers.ContentType?.MediaType;
            string answer = await response.Content.ReadAsStringAsync();
            string shown = $"{hostile.Kind}: {status} {Encoding.UTF8.GetString(hostile.Body[..Math.Min(hostile.Body.Length, 120)])} -> {answer[..Math.Min(answer.Length, 300)]}";
            if (status is < 400 or >= 500 || mediaType != "application/problem+json")
            {
                failures.Add(shown);
                continue;
            }
            var errors = Errors(answer);
            if (hostile.Field is { } field && !errors.Keys.Any(key => Names(key, field)))
            {
                failures.Add($"not refused for {field}: {shown}");
            }
            if (hostile.Problem is { } problem && !errors.Values.Any(messages => messages.Contains(problem)))
            {
                failures.Add($"not refused with '{problem}': {shown}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} failures:\n" + string.Join("\n", failures.Take(20)));
        Assert.Equal(before, await CountAsync());
    }

    /// <summary>"seeds" is named by the key "seeds", "seeds[0]" or "seeds.x".</summary>
    private static bool Names(string key, string field) =>
        key == field || key.StartsWith(field + ".", StringComparison.Ordinal) || key.StartsWith(field + "[", StringComparison.Ordinal);

    private static Dictionary<string, string[]> Errors(string problem)
    {
        using var json = JsonDocument.Parse(problem);
        return json.RootElement.TryGetProperty("errors", out var errors)
            ? errors.EnumerateObject().ToDictionary(e => e.Name, e => e.Value.EnumerateArray().Select(m => m.GetString()!).ToArray())
            : [];
    }

    private static IEnumerable<Hostile> Generate(Random random)
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
                yield return new($"{field}={value}", JsonSerializer.SerializeToUtf8Bytes(copy), field);
            }
        }

        // 2. Hostile strings in every string position, and as unknown field names.
        foreach (string text in hostileStrings)
        {
            yield return new("task string", Json(new { task = text, estimators = new[] { "st" }, seeds = new[] { 1 }, steps = 10 }), "task");
            yield return new("estimator string", Json(new { task = "poisson-toy", estimators = new[] { text }, seeds = new[] { 1 }, steps = 10 }), "estimators[0]");
            yield return new("estimator parameter", Json(new Dictionary<string, object> { ["task"] = "poisson-toy", ["estimators"] = new[] { new Dictionary<string, object> { ["name"] = "reinforce-loo", [text.Length > 200 ? "long" : text + "k"] = 2 } }, ["seeds"] = new[] { 1 }, ["steps"] = 10 }), "estimators[0]");
            yield return new("optimizer name", Json(new { task = "poisson-toy", estimators = new[] { "st" }, seeds = new[] { 1 }, steps = 10, optimizer = new { name = text } }), "optimizer.name");
            yield return new("unknown field", Json(new Dictionary<string, object> { ["task"] = "poisson-toy", ["estimators"] = new[] { "st" }, ["seeds"] = new[] { 1 }, ["steps"] = 10, [text.Length > 200 ? "huge" : text + "_"] = 1 }), Problem: UnknownField);
        }

        // 3. Huge, tiny and non-finite numbers in every numeric position (raw text: JSON writers refuse non-finite).
        foreach (string number in hostileNumbers)
        {
            yield return new("steps", Raw($$"""{"task": "poisson-toy", "estimators": ["st"], "seeds": [1], "steps": {{number}}}"""), "steps");
            // -0 is the seed 0 and 2147483648 a 64-bit seed: both valid, so not hostile here.
            if (number is not ("-0" or "2147483648"))
            {
                yield return new("seed", Raw($$"""{"task": "poisson-toy", "estimators": ["st"], "seeds": [{{number}}, 2], "steps": 10}"""), "seeds");
            }
            yield return new("evalEvery", Raw($$"""{"task": "poisson-toy", "estimators": ["st"], "seeds": [1], "steps": 10, "evalEvery": {{number}}}"""), "evalEvery");
            yield return new("learningRate", Raw($$$"""{"task": "poisson-toy", "estimators": ["st"], "seeds": [1], "steps": 10, "optimizer": {"name": "adam", "learningRate": -{{{number.TrimStart('-')}}}}}"""), "optimizer.learningRate");
            yield return new("option", Raw($$$"""{"task": "poisson-toy", "taskOptions": {"dims": {{{number}}}, "target": -{{{number.TrimStart('-')}}}}, "estimators": ["st"], "seeds": [1], "steps": 10}"""), "taskOptions");
            yield return new("samples", Raw($$"""{"task": "poisson-toy", "estimators": [{"name": "reinforce-loo", "samples": {{number}}}], "seeds": [1], "steps": 10}"""), "estimators[0].samples");
        }
        foreach (string literal in new[] { "NaN", "Infinity", "-Infinity", "nan", "inf" })
        {
            yield return new("non-finite literal", Raw($$"""{"task": "poisson-toy", "estimators": ["st"], "seeds": [1], "steps": {{literal}}}"""), "steps");
            yield return new("non-finite option", Raw($$$"""{"task": "poisson-toy", "taskOptions": {"target": {{{literal}}}}, "estimators": ["st"], "seeds": [1], "steps": 10}"""), "taskOptions");
        }

        // 4. Structure: deep nesting, oversized bodies, broken JSON, random bytes, wrong roots.
        foreach (int depth in new[] { 33, 64, 1000 })
        {
            yield return new($"depth {depth}", Raw($$$"""{"task": "poisson-toy", "estimators": ["st"], "seeds": [1], "steps": 10, "taskOptions": {"dims": {{{new string('[', depth)}}}1{{{new string(']', depth)}}}}}"""), "taskOptions");
        }
        yield return new("oversized", Raw($$"""{"task": "poisson-toy", "estimators": [{{string.Join(",", Enumerable.Repeat("\"st\"", 400_000))}}], "seeds": [1], "steps": 10}"""));
        yield return new("too many seeds", Json(new { task = "poisson-toy", estimators = new[] { "st" }, seeds = Enumerable.Range(0, 5000).ToArray(), steps = 10 }), "seeds");
        yield return new("too many estimators", Json(new { task = "poisson-toy", estimators = Enumerable.Repeat("st", 100).ToArray(), seeds = new[] { 1 }, steps = 10 }), "estimators");
        foreach (string root in new[] { "", "null", "[]", "\"poisson-toy\"", "42", "{", "{\"task\":", "{}}", "{'task': 'poisson-toy'}" })
        {
            yield return new($"root {root}", Raw(root));
        }
        for (int i = 0; i < 40; i++)
        {
            var bytes = new byte[random.Next(1, 400)];
            random.NextBytes(bytes);
            yield return new("random bytes", bytes);
        }
        for (int i = 0; i < 40; i++)
        {
            // A valid body cut at a random point, or with one random byte changed into a structural character.
            var body = Encoding.UTF8.GetBytes(Valid);
            if (i % 2 == 0) yield return new("truncated", body[..random.Next(0, body.Length - 1)]);
            else
            {
                body[random.Next(body.Length)] = (byte)"{}[]:,\"\\"[random.Next(8)];
                yield return new("corrupted", body);
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

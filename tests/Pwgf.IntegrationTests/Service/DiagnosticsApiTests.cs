using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pwgf.Api.Diagnostics;
using Pwgf.Client;
using Pwgf.Estimators;
using Pwgf.Estimators.Families;
using Pwgf.IntegrationTests.Support;

namespace Pwgf.IntegrationTests.Service;

/// <summary>POST /api/v1/diagnostics through real HTTP: known gradients, shapes, validation, limits, reproducibility.</summary>
[Collection(ServiceCollection.Name)]
public sealed class DiagnosticsApiTests(ServiceFixture service)
{
    private const string Path = "/api/v1/diagnostics";

    [Fact]
    public async Task Bernoulli_st_matches_two_p_minus_t_which_is_exact_only_at_logit_zero()
    {
        var response = await AuditAsync($$"""
            {"distribution": "bernoulli", "logits": [0, {{Math.Log(4)}}],
             "objective": {"kind": "power", "target": 0.45, "power": 2.0},
             "estimators": ["st", "exact"], "samples": 100000, "seed": 7}
            """);

        // Per coordinate, exact (1 - 2t) p (1 - p) and ST 2 (p - t) p (1 - p). At p = 1/2 both are 0.025; at
        // p = 0.8 (logit ln 4) exact is 0.1 x 0.16 = 0.016 and ST 0.7 x 0.16 = 0.112.
        Assert.Equal(0.025, response.Exact[0], 1e-12);
        Assert.Equal(0.016, response.Exact[1], 1e-12);
        var st = response.Results[0];
        Assert.Equal(("st", 1), (st.Estimator, st.Evaluations));
        Assert.Empty(st.Parameters);
        AssertWithin(st, [0.025, 0.112], 5);
        Assert.True(st.Bias[1] > 50 * st.StandardError[1], "st should be visibly biased at p = 0.8");
        Assert.Equal(Math.Sqrt(st.Variance[0] / 100_000), st.StandardError[0], 1e-15);

        var exact = response.Results[1];
        Assert.Equal(("exact", 0), (exact.Estimator, exact.Evaluations));
        Assert.Equal(response.Exact, exact.Mean, (a, b) => Math.Abs(a - b) < 1e-12);
        Assert.True(exact.RelativeBias < 1e-9);
        Assert.Equal(1.0, exact.CosineSimilarity!.Value, 1e-12);
    }

    [Fact]
    public async Task Poisson_reinforce_loo_is_unbiased_on_a_linear_square_objective()
    {
        var response = await AuditAsync($$"""
            {"distribution": "poisson", "logits": [{{Math.Log(1.5)}}, {{Math.Log(0.7)}}, {{Math.Log(3.0)}}],
             "objective": {"kind": "linear-square", "target": 4.0, "weights": [1.0, -0.5, 2.0]},
             "estimators": [{"name": "reinforce-loo", "samples": 4}], "samples": 200000, "seed": 3}
            """);

        var loo = Assert.Single(response.Results);
        Assert.Equal(4.0, loo.Parameters["samples"]);
        Assert.Equal(4, loo.Evaluations);
        AssertWithin(loo, response.Exact, 5);
        Assert.True(loo.RelativeBias < 0.05, $"relative bias {loo.RelativeBias}");
        Assert.True(loo.CosineSimilarity > 0.99, $"cosine {loo.CosineSimilarity}");
    }

    [Fact]
    public async Task Categorical_gradients_have_one_entry_per_dimension_and_class()
    {
        var response = await AuditAsync("""
            {"distribution": "categorical",
             "logits": [[0, 0.5, -0.5, 1], [2, 0, 0, 0], [-1, 1, 0.25, 0]],
             "objective": {"kind": "power", "target": 1.5, "power": 3},
             "estimators": ["exact", "reinforce-loo"], "samples": 20000}
            """);

        Assert.Equal(12, response.Exact.Count);
        Assert.All(response.Results, r => Assert.Equal(12, r.Mean.Count));
        Assert.All(response.Results, r => Assert.Equal(12, r.Variance.Count));
        // Adding a constant to one dimension's logits changes nothing, so each dimension's gradient sums to zero.
        for (int d = 0; d < 3; d++) Assert.Equal(0, response.Exact.Skip(4 * d).Take(4).Sum(), 1e-12);
        Assert.Equal(response.Exact, response.Results[0].Mean, (a, b) => Math.Abs(a - b) < 1e-12);
        Assert.Equal(2.0, response.Results[1].Parameters["samples"]);
    }

    [Fact]
    public async Task Samples_and_seed_have_defaults()
    {
        var response = await AuditAsync("""
            {"distribution": "bernoulli", "logits": [0.3, -0.3],
             "objective": {"kind": "power", "target": 0.2}, "estimators": ["st"]}
            """);

        var st = Assert.Single(response.Results);
        // Standard error = sqrt(variance / 10000) for the default sample count.
        Assert.Equal(Math.Sqrt(st.Variance[0] / 10_000), st.StandardError[0], 1e-15);
    }

    [Fact]
    public async Task The_same_request_twice_gives_identical_numbers()
    {
        const string request = """
            {"distribution": "poisson", "logits": [0.2, 1.0],
             "objective": {"kind": "power", "target": 2.5, "power": 1.5},
             "estimators": ["st", "pwgf", {"name": "reinforce-loo", "samples": 3}], "samples": 30000, "seed": 42}
            """;

        // Everything but the measured timings repeats exactly.
        string first = WithoutTimings(await PostForBodyAsync(request));
        string second = WithoutTimings(await PostForBodyAsync(request));

        Assert.Equal(first, second);
        string otherSeed = WithoutTimings(await PostForBodyAsync(request.Replace("\"seed\": 42", "\"seed\": 43")));
        Assert.NotEqual(first, otherSeed);

        static string WithoutTimings(string body)
        {
            var response = JsonNode.Parse(body)!;
            foreach (var result in response["results"]!.AsArray())
            {
                Assert.True(result!["secondsPerEstimate"]!.GetValue<double>() > 0);
                result.AsObject().Remove("secondsPerEstimate");
                result.AsObject().Remove("timeNormalizedVariance");
            }
            return response.ToJsonString();
        }
    }

    [Fact]
    public async Task Near_the_poisson_optimum_the_bias_test_separates_unbiased_estimators_from_st()
    {
        // poisson-toy's point of issue 14: lambda = 2.95 beside the optimum 2.9 of f = sum_i (z_i - 3.4)^2, where the
        // exact gradient per coordinate is lambda (1 + 2 (lambda - t)) = 0.295 and ST's mean is lambda 2 (lambda - t).
        var response = await AuditAsync($$"""
            {"distribution": "poisson", "logits": [{{Math.Log(2.95)}}, {{Math.Log(2.95)}}, {{Math.Log(2.95)}}],
             "objective": {"kind": "power", "target": 3.4, "power": 2},
             "estimators": ["pwgf", "exact-diff", "st"], "samples": 100000, "seed": 11}
            """);

        Assert.All(response.Exact, g => Assert.Equal(2.95 * 0.1, g, 1e-9));
        foreach (var unbiased in response.Results.Take(2))
        {
            Assert.Equal(("hotelling-t2", 3, 100_000 - 3), (unbiased.BiasTest.Method, unbiased.BiasTest.DegreesOfFreedom, unbiased.BiasTest.DenominatorDegreesOfFreedom));
            Assert.True(unbiased.BiasTest.PValue > 0.05, $"{unbiased.Estimator}: p = {unbiased.BiasTest.PValue}");
            Assert.True(unbiased.RelativeBiasCorrected < 0.1, $"{unbiased.Estimator}: corrected {unbiased.RelativeBiasCorrected}");
            Assert.True(unbiased.RelativeBiasUpper95 >= unbiased.RelativeBiasCorrected);
        }
        var st = response.Results[2];
        Assert.True(st.BiasTest.PValue < 1e-6, $"st: p = {st.BiasTest.PValue}");
        Assert.InRange(st.RelativeBiasCorrected!.Value, 9.5, 10.5);   // (2 (lambda - t) - 1 - 2 (lambda - t)) / 0.1 = -10
        Assert.True(st.RelativeBiasUpper95 >= 10);

        // Cost: exact-diff spends d + 1 = 4 evaluations of f per estimate, pwgf and st one.
        Assert.Equal([1, 4, 1], response.Results.Select(r => r.Evaluations));
        Assert.All(response.Results, r =>
        {
            double meanVariance = r.Variance.Average();
            Assert.Equal(meanVariance * r.Evaluations, r.WorkNormalizedVariance, 1e-12 * Math.Max(1, meanVariance));
            Assert.Equal(meanVariance * r.SecondsPerEstimate, r.TimeNormalizedVariance, 1e-12 * Math.Max(1, meanVariance));
            Assert.True(r.SecondsPerEstimate > 0);
        });
    }

    [Fact]
    public async Task The_cosine_is_null_with_a_reason_in_one_dimension()
    {
        var response = await AuditAsync("""
            {"distribution": "bernoulli", "logits": [1.0], "objective": {"kind": "power", "target": 0.45},
             "estimators": ["st", "exact"], "samples": 2000}
            """);

        Assert.All(response.Results, r => Assert.Equal((null, "one-dimensional"), (r.CosineSimilarity, r.CosineSimilarityUnavailable)));
        // The exact reference draws one number 2000 times: no direction varies, so nothing is tested and nothing rejected.
        Assert.Equal((0, 1.0), (response.Results[1].BiasTest.DegreesOfFreedom, response.Results[1].BiasTest.PValue));
    }

    public static TheoryData<string, string> MalformedRequests()
    {
        var data = new TheoryData<string, string>();
        void Case(string field, Action<JsonObject> change)
        {
            var request = ValidRequest();
            change(request);
            data.Add(request.ToJsonString(), field);
        }

        Case("distribution", r => r.Remove("distribution"));
        Case("distribution", r => r["distribution"] = "gaussian");
        Case("distribution", r => r["distribution"] = 3);
        Case("logits", r => r.Remove("logits"));
        Case("logits", r => r["logits"] = "0.5");
        Case("logits", r => r["logits"] = new JsonArray());
        Case("logits[1]", r => r["logits"] = new JsonArray(0.1, "NaN"));
        Case("logits[0]", r => r["logits"] = new JsonArray(new JsonArray(0, 1)));
        Case("logits[0]", r => (r["distribution"], r["logits"]) = ("categorical", new JsonArray(0, 1)));
        Case("logits[1]", r => (r["distribution"], r["logits"]) = ("categorical", new JsonArray(new JsonArray(0, 1, 2), new JsonArray(0, 1))));
        Case("logits[0][1]", r => (r["distribution"], r["logits"]) = ("categorical", new JsonArray(new JsonArray(0, true))));
        Case("objective", r => r.Remove("objective"));
        Case("objective.kind", r => r["objective"]!["kind"] = "cubic");
        Case("objective.target", r => r["objective"]!.AsObject().Remove("target"));
        Case("objective.target", r => r["objective"]!["target"] = "NaN");
        Case("objective.power", r => r["objective"]!["power"] = 0.5);
        Case("objective.weights", r => r["objective"]!["weights"] = new JsonArray(1, 1));
        Case("objective.exponent", r => r["objective"]!["exponent"] = 2);
        Case("objective.weights", r => r["objective"] = new JsonObject { ["kind"] = "linear-square", ["target"] = 1 });
        Case("objective.weights", r => r["objective"] = new JsonObject { ["kind"] = "linear-square", ["target"] = 1, ["weights"] = new JsonArray(1, 2, 3) });
        Case("objective.weights[0]", r => r["objective"] = new JsonObject { ["kind"] = "linear-square", ["target"] = 1, ["weights"] = new JsonArray("Infinity", 2) });
        Case("estimators", r => r.Remove("estimators"));
        Case("estimators", r => r["estimators"] = new JsonArray());
        Case("estimators[0]", r => r["estimators"] = new JsonArray("magic"));
        Case("estimators[1]", r => r["estimators"] = new JsonArray("st", 5));
        Case("estimators[1]", r => r["estimators"] = new JsonArray("st", "st"));
        Case("estimators[0].name", r => r["estimators"] = new JsonArray(new JsonObject { ["samples"] = 3 }));
        Case("estimators[0].temperature", r => r["estimators"] = new JsonArray(new JsonObject { ["name"] = "st", ["temperature"] = 2 }));
        Case("estimators[0].samples", r => r["estimators"] = new JsonArray(new JsonObject { ["name"] = "reinforce-loo", ["samples"] = 1 }));
        Case("estimators[0]", r => r["estimators"] = new JsonArray("vimco")); // a model's bound: these objectives have no data x
        Case("samples", r => r["samples"] = 1);
        Case("samples", r => r["samples"] = "many");
        Case("samples", r => r["samples"] = 2.5);
        Case("seed", r => r["seed"] = -1);
        Case("verbose", r => r["verbose"] = true);

        // An estimator that does not apply to some distribution, taken from the registry as it stands.
        var mismatch = EstimatorRegistry.All
            .SelectMany(e => Enum.GetValues<LatentDistribution>().Where(d => !e.AppliesTo(d)).Select(d => (e.Name, Distribution: d)))
            .Cast<(string Name, LatentDistribution Distribution)?>()
            .FirstOrDefault();
        if (mismatch is { } m)
        {
            Case("estimators[0]", r =>
            {
                r["distribution"] = m.Distribution.ToString().ToLowerInvariant();
                r["logits"] = m.Distribution == LatentDistribution.Categorical ? new JsonArray(new JsonArray(0, 1), new JsonArray(1, 0)) : new JsonArray(0.1, 0.2);
                r["estimators"] = new JsonArray(m.Name);
            });
        }

        data.Add("""{"distribution": "bernoulli", "logits": [0.1, 0.2], "samples": 100""", "samples");
        return data;
    }

    [Theory]
    [MemberData(nameof(MalformedRequests))]
    public async Task A_malformed_request_gets_a_validation_problem_naming_the_field(string json, string field)
    {
        using var response = await service.Client.PostAsync(Path, ServiceFixture.Body(json));
        string body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        using var problem = JsonDocument.Parse(body);
        Assert.Equal(400, problem.RootElement.GetProperty("status").GetInt32());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), $"expected an error for '{field}' in {body}");
    }

    public static TheoryData<string, string> RequestsPastALimit()
    {
        string Zeros(int count) => string.Join(", ", Enumerable.Repeat("0", count));
        string Bernoulli(string logits, int samples = 1000) =>
            $$"""{"distribution": "bernoulli", "logits": [{{logits}}], "objective": {"kind": "power", "target": 0.5}, "estimators": ["st"], "samples": {{samples}}}""";
        string Other(string distribution, string logits) =>
            $$"""{"distribution": "{{distribution}}", "logits": [{{logits}}], "objective": {"kind": "power", "target": 0.5}, "estimators": ["st"], "samples": 1000}""";
        string seventeen = string.Join(", ", Enumerable.Range(2, 17).Select(k => $$"""{"name": "reinforce-loo", "samples": {{k}}}"""));

        return new TheoryData<string, string>
        {
            { Bernoulli(Zeros(257)), "dims <= 256" },
            { Other("categorical", $"[{Zeros(65)}]"), "classes <= 64" },
            { Bernoulli("0", 1_000_001), "samples <= 1000000" },
            { Bernoulli(Zeros(21), 1_000_000), "samples x dims x classes <= 20000000" },
            { Other("categorical", $"[{Zeros(40)}], [{Zeros(40)}]").Replace("1000}", "300000}"), "samples x dims x classes <= 20000000" },
            { Bernoulli("0").Replace("""["st"]""", $"[{seventeen}]"), "estimators <= 16" },
            { Bernoulli("0, 30.5"), "|logit| <= 30" },
            { Other("categorical", "[0, -31]"), "|logit| <= 30" },
            { Other("poisson", "0, 6.5"), "log-rate <= 6" },
            { Other("poisson", "-31"), "-30 <= log-rate" },
        };
    }

    [Theory]
    [MemberData(nameof(RequestsPastALimit))]
    public async Task A_request_past_a_limit_gets_422_naming_the_limit(string json, string limit)
    {
        using var response = await service.Client.PostAsync(Path, ServiceFixture.Body(json));
        string body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        using var problem = JsonDocument.Parse(body);
        Assert.Equal(422, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Contains(limit, problem.RootElement.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Swagger_documents_the_diagnostics_route()
    {
        using var document = JsonDocument.Parse(await service.Client.GetStringAsync("/swagger/v1/swagger.json"));
        var post = document.RootElement.GetProperty("paths").GetProperty(Path).GetProperty("post");
        Assert.Equal("AuditGradients", post.GetProperty("operationId").GetString());
        Assert.False(string.IsNullOrEmpty(post.GetProperty("summary").GetString()));
    }

    private static JsonObject ValidRequest() => new()
    {
        ["distribution"] = "bernoulli",
        ["logits"] = new JsonArray(0.1, 0.2),
        ["objective"] = new JsonObject { ["kind"] = "power", ["target"] = 0.45, ["power"] = 2 },
        ["estimators"] = new JsonArray("st"),
        ["samples"] = 100,
        ["seed"] = 1,
    };

    private async Task<DiagnosticsResponse> AuditAsync(string json)
    {
        string body = await PostForBodyAsync(json);
        return JsonSerializer.Deserialize<DiagnosticsResponse>(body, PwgfClient.Json)!;
    }

    private async Task<string> PostForBodyAsync(string json)
    {
        using var response = await service.Client.PostAsync(Path, ServiceFixture.Body(json));
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        return body;
    }

    private static void AssertWithin(EstimatorAudit audit, IReadOnlyList<double> truth, double standardErrors)
    {
        for (int i = 0; i < truth.Count; i++)
        {
            double allowed = standardErrors * audit.StandardError[i] + 1e-12;
            Assert.True(Math.Abs(audit.Mean[i] - truth[i]) <= allowed,
                $"{audit.Estimator}, coordinate {i}: mean {audit.Mean[i]:G6} vs {truth[i]:G6} (allowed {allowed:G3})");
        }
    }
}

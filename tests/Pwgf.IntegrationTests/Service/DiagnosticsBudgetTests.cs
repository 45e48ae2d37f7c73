using System.Net;
using System.Text.Json;
using Pwgf.IntegrationTests.Support;

namespace Pwgf.IntegrationTests.Service;

[Collection(ServiceCollection.Name)]
public sealed class DiagnosticsBudgetTests(ServiceFixture service)
{
    [Fact]
    public async Task An_audit_past_its_compute_budget_is_stopped_and_refused_with_422()
    {
        var (api, client) = await service.StartApiAsync(new Dictionary<string, string> { ["Diagnostics__MaxComputeTime"] = "00:00:01" });
        using (api)
        using (client)
        {
            // Within every size limit, but 1000 conditional Gumbel draws per sample take far longer than a second.
            using var response = await client.PostAsync("/api/v1/diagnostics", ServiceFixture.Body("""
                {"distribution": "categorical", "logits": [[0.1, 0.2, 0.3, 0.4], [0, 0, 0, 0]],
                 "objective": {"kind": "power", "target": 1.5, "power": 2},
                 "estimators": [{"name": "gumbel-rao", "draws": 1000}], "samples": 1000000, "seed": 1}
                """));
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

            Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
            Assert.Contains("compute budget", problem.RootElement.GetProperty("detail").GetString());
        }
    }
}

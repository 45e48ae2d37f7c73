using System.Net;
using System.Text.Json;
using Pwgf.Api.Comparisons;
using Pwgf.Infrastructure.Entities;
using Pwgf.IntegrationTests.Support;

namespace Pwgf.IntegrationTests.Service;

/// <summary>
/// Paging values that cannot address a page are a 400 naming the parameter (page=2147483647 used to overflow the row
/// offset into a 500), and user text that the API quotes back (unknown option, parameter, field and metric names,
/// unparsable query values) is clipped to a short prefix whatever its length.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class PagingAndEchoTests(ServiceFixture service)
{
    /// <summary>Far longer than any prefix the API may quote back.</summary>
    private static readonly string LongName = "option" + new string('z', 5_000);

    [Theory]
    [InlineData("page=2147483647")]
    [InlineData("page=1000001")]
    [InlineData("page=2147483648")]
    [InlineData("page=abc")]
    [InlineData("page=1&pageSize=ten")]
    public async Task A_page_that_cannot_be_addressed_is_a_400_naming_the_parameter(string query)
    {
        using var response = await service.Client.GetAsync($"/api/v1/comparisons?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = await ErrorsAsync(response);
        string parameter = query.Contains("pageSize", StringComparison.Ordinal) ? "pageSize" : "page";
        Assert.True(errors.ContainsKey(parameter), string.Join(", ", errors.Keys));
    }

    [Fact]
    public async Task The_last_addressable_page_is_empty_and_small_pages_still_mean_the_first()
    {
        var last = await service.Api.ListComparisonsAsync(ComparisonsApi.MaxPage, 100);
        Assert.Empty(last.Items);
        Assert.Equal(ComparisonsApi.MaxPage, last.Page);

        // Documented since the first release: page counts from 1, pageSize is clamped.
        var first = await service.Api.ListComparisonsAsync(0, 1000);
        Assert.Equal((1, 100), (first.Page, first.PageSize));
    }

    public static TheoryData<string, string> QuotedNames => new()
    {
        { $$"""{"task": "poisson-toy", "taskOptions": {"{{LongName}}": 1}, "estimators": ["st"], "seeds": [1], "steps": 10}""", "taskOptions." },
        { $$"""{"task": "poisson-toy", "taskOptions": {"{{LongName}}": "text"}, "estimators": ["st"], "seeds": [1], "steps": 10}""", "taskOptions." },
        { $$"""{"task": "poisson-toy", "estimators": [{"name": "reinforce-loo", "{{LongName}}": 2}], "seeds": [1], "steps": 10}""", "estimators[0]." },
        { $$"""{"task": "poisson-toy", "estimators": ["st"], "seeds": [1], "steps": 10, "{{LongName}}": 1}""", "" },
        { $$"""{"task": "{{LongName}}", "estimators": ["st"], "seeds": [1], "steps": 10}""", "task" },
    };

    [Theory]
    [MemberData(nameof(QuotedNames))]
    public async Task Unknown_names_in_a_submission_are_quoted_clipped(string body, string fieldPrefix)
    {
        using var response = await service.Client.PostAsync("/api/v1/comparisons", ServiceFixture.Body(body));
        string answer = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(answer.Length < 2_000, $"{answer.Length} characters: {answer[..Math.Min(answer.Length, 300)]}");
        Assert.DoesNotContain(LongName[..100], answer);
        var errors = Errors(answer);
        Assert.Contains(errors.Keys, key => key.StartsWith(fieldPrefix, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unknown_metric_names_and_unparsable_query_values_are_not_echoed_in_full()
    {
        var accepted = await service.Api.SubmitAsync("""{"task": "poisson-toy", "estimators": ["st"], "seeds": [1], "steps": 10}""");
        var run = await service.WithinAsync(TimeSpan.FromMinutes(2), limit => service.Api.WaitForRunAsync(accepted.Id, r => r.Status.IsFinal(), ServiceFixture.Poll, limit));

        foreach (string path in new[]
        {
            $"/api/v1/comparisons/{accepted.Id}/metrics?name={LongName}",
            $"/api/v1/runs/{run.Id}/metrics?name=loss&afterStep={LongName}",
            $"/api/v1/comparisons?page={LongName}",
        })
        {
            using var response = await service.Client.GetAsync(path);
            string answer = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.DoesNotContain(LongName[..100], answer);
            Assert.True(answer.Length < 2_000, $"{path[..60]}: {answer.Length} characters");
        }
        using var plot = await service.Client.GetAsync($"/api/v1/comparisons/{accepted.Id}/plots/{LongName}.png");
        Assert.Equal(HttpStatusCode.NotFound, plot.StatusCode);
        Assert.DoesNotContain(LongName[..100], await plot.Content.ReadAsStringAsync());
    }

    private static async Task<Dictionary<string, string[]>> ErrorsAsync(HttpResponseMessage response) =>
        Errors(await response.Content.ReadAsStringAsync());

    private static Dictionary<string, string[]> Errors(string problem)
    {
        using var json = JsonDocument.Parse(problem);
        return json.RootElement.GetProperty("errors").EnumerateObject()
            .ToDictionary(e => e.Name, e => e.Value.EnumerateArray().Select(m => m.GetString()!).ToArray());
    }
}

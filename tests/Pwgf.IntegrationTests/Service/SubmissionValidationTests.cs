using System.Net;
using System.Text.Json;
using Npgsql;
using Pwgf.IntegrationTests.Support;

namespace Pwgf.IntegrationTests.Service;

/// <summary>Bad submissions get 400 ProblemDetails naming each bad field, and nothing is stored or enqueued.</summary>
[Collection(ServiceCollection.Name)]
public sealed class SubmissionValidationTests(ServiceFixture service)
{
    public static TheoryData<string, string> BadSubmissions => new()
    {
        { """{"estimators": ["st"], "seeds": [1], "steps": 10}""", "task" },
        { """{"task": "bernoulli-toy", "seeds": [1], "steps": 10}""", "estimators" },
        { """{"task": "bernoulli-toy", "estimators": ["st"], "steps": 10}""", "seeds" },
        { """{"task": "bernoulli-toy", "estimators": ["st"], "seeds": [1]}""", "steps" },
        { """{"task": "no-such-task", "estimators": ["st"], "seeds": [1], "steps": 10}""", "task" },
        { """{"task": "bernoulli-toy", "estimators": ["no-such-estimator"], "seeds": [1], "steps": 10}""", "estimators[0]" },
        { """{"task": "bernoulli-toy", "estimators": ["st", 7], "seeds": [1], "steps": 10}""", "estimators[1]" },
        { """{"task": "bernoulli-toy", "estimators": [{"samples": 2}], "seeds": [1], "steps": 10}""", "estimators[0].name" },
        { """{"task": "bernoulli-toy", "estimators": [{"name": "reinforce-loo", "samples": 1}], "seeds": [1], "steps": 10}""", "estimators[0].samples" },
        { """{"task": "bernoulli-toy", "estimators": [{"name": "reinforce-loo", "samples": 2.5}], "seeds": [1], "steps": 10}""", "estimators[0].samples" },
        { """{"task": "bernoulli-toy", "estimators": [{"name": "st", "temperature": 2}], "seeds": [1], "steps": 10}""", "estimators[0].temperature" },
        { """{"task": "bernoulli-toy", "estimators": ["st", "st"], "seeds": [1], "steps": 10}""", "estimators[1]" },
        { """{"task": "bernoulli-toy", "estimators": ["st"], "seeds": [], "steps": 10}""", "seeds" },
        { """{"task": "bernoulli-toy", "estimators": ["st"], "seeds": [1, 1], "steps": 10}""", "seeds" },
        { """{"task": "bernoulli-toy", "estimators": ["st"], "seeds": [1], "steps": 0}""", "steps" },
        { """{"task": "bernoulli-toy", "estimators": ["st"], "seeds": [1], "steps": -5}""", "steps" },
        { """{"task": "bernoulli-toy", "estimators": ["st"], "seeds": [1], "steps": "ten"}""", "steps" },
        { """{"task": "bernoulli-toy", "estimators": ["st"], "seeds": "1", "steps": 10}""", "seeds" },
        { """{"task": "bernoulli-toy", "estimators": "st", "seeds": [1], "steps": 10}""", "estimators" },
        { """{"task": "bernoulli-toy", "estimators": ["st"], "seeds": [1], "steps": 10, "evalEvery": 11}""", "evalEvery" },
        { """{"task": "bernoulli-toy", "taskOptions": {"dims": 0}, "estimators": ["st"], "seeds": [1], "steps": 10}""", "taskOptions.dims" },
        { """{"task": "bernoulli-toy", "taskOptions": {"power": 0.5}, "estimators": ["st"], "seeds": [1], "steps": 10}""", "taskOptions.power" },
        { """{"task": "bernoulli-toy", "taskOptions": {"dims": "four"}, "estimators": ["st"], "seeds": [1], "steps": 10}""", "taskOptions.dims" },
        { """{"task": "bernoulli-toy", "taskOptions": {"colour": 1}, "estimators": ["st"], "seeds": [1], "steps": 10}""", "taskOptions.colour" },
        { """{"task": "bernoulli-toy", "estimators": ["st"], "seeds": [1], "steps": 10, "optimizer": {"name": "lbfgs"}}""", "optimizer.name" },
        { """{"task": "bernoulli-toy", "estimators": ["st"], "seeds": [1], "steps": 10, "optimizer": {"name": "adam", "learningRate": 0}}""", "optimizer.learningRate" },
        { """{"task": "bernoulli-toy", "estimators": ["st"], "seeds": [1], "steps": 10, "seed": 4}""", "seed" },
        { """{"task": "poisson-toy", "estimators": [{"name": "reinforce-loo", "samples": 1e400}], "seeds": [1], "steps": 10}""", "estimators[0].samples" },
        { """{"task": "bernoulli-toy", "estimators": ["st"], "seeds": [1], "steps": 10""", "steps" },
    };

    [Theory]
    [MemberData(nameof(BadSubmissions))]
    public async Task A_bad_submission_gets_a_problem_naming_the_field_and_creates_nothing(string json, string field)
    {
        long before = await CountAsync();

        using var response = await service.Client.PostAsync("/api/v1/comparisons", ServiceFixture.Body(json));
        string body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        using var problem = JsonDocument.Parse(body);
        Assert.Equal(400, problem.RootElement.GetProperty("status").GetInt32());
        var errors = problem.RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), $"expected an error for '{field}' in {body}");
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task A_submission_with_several_problems_names_all_of_them()
    {
        using var response = await service.Client.PostAsync("/api/v1/comparisons", ServiceFixture.Body("""
            {"task": "bernoulli-toy", "estimators": ["nope"], "seeds": [], "steps": 0}
            """));
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var fields = problem.RootElement.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToHashSet();
        Assert.Superset(new HashSet<string> { "estimators[0]", "seeds", "steps" }, fields);
    }

    /// <summary>Comparisons and runs in the database, plus Hangfire jobs ever created.</summary>
    private async Task<long> CountAsync()
    {
        await using var connection = new NpgsqlConnection(service.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT (SELECT count(*) FROM pwgf.comparisons) + (SELECT count(*) FROM pwgf.runs) + (SELECT count(*) FROM hangfire.job)",
            connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}

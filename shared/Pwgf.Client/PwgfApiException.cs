using System.Net;
using Microsoft.AspNetCore.Http;

namespace Pwgf.Client;

/// <summary>
/// The API answered a call with an unexpected status. <see cref="Problem"/> is the ProblemDetails it sent (every error
/// of this API is one); <see cref="Problem"/>.Errors names the bad fields of a 400.
/// </summary>
public sealed class PwgfApiException(string request, HttpStatusCode status, HttpValidationProblemDetails? problem, string body)
    : Exception(Describe(request, status, problem, body))
{
    /// <summary>The call, e.g. "POST api/v1/comparisons".</summary>
    public string Request { get; } = request;

    public HttpStatusCode Status { get; } = status;

    public HttpValidationProblemDetails? Problem { get; } = problem;

    /// <summary>The problem on one line: its title, its detail, then each field's errors.</summary>
    public string ProblemText => Problem is null ? "" : Summarise(Problem);

    private static string Describe(string request, HttpStatusCode status, HttpValidationProblemDetails? problem, string body)
    {
        const int shown = 300;
        string hint = status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
            ? $" The API wants a key with the right scope in {PwgfClient.ApiKeyHeader} (./pwgf up writes one to .pwgf/api-key)."
            : "";
        string why = problem is not null ? Summarise(problem) : body.Length > shown ? body[..shown] + "..." : body;
        return $"{request} answered {(int)status} {status}.{hint} {why}".TrimEnd();
    }

    internal static string Summarise(HttpValidationProblemDetails problem) => string.Join(" ",
        new[] { problem.Title, problem.Detail }
            .Concat(problem.Errors.Select(field => $"{field.Key}: {string.Join(" ", field.Value)}"))
            .Where(part => !string.IsNullOrEmpty(part)));
}

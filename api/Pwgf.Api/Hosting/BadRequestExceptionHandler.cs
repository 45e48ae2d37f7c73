using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Pwgf.Api.Hosting;

/// <summary>
/// Turns request-binding failures into ProblemDetails: a JSON error names the field (its JSON path) in the
/// validation-problem "errors" map; other bad requests (size, content type) keep their status and say why.
/// Everything else is left to the default handler (500, no internals).
/// </summary>
public sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException badRequest) return false;

        context.Response.StatusCode = badRequest.StatusCode;
        ProblemDetails problem = FindJsonError(badRequest) is { } json
            ? new HttpValidationProblemDetails(new Dictionary<string, string[]>
            {
                [FieldOf(json.Path)] = [DescribeJsonError(json)],
            })
            {
                Title = "The request body is not valid.",
                Status = badRequest.StatusCode,
            }
            : new ProblemDetails
            {
                Title = "The request is not valid.",
                Detail = badRequest.Message,
                Status = badRequest.StatusCode,
            };

        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    private static JsonException? FindJsonError(Exception exception)
    {
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is JsonException json) return json;
        }
        return null;
    }

    /// <summary>"$.estimators[1].samples" becomes "estimators[1].samples"; the root becomes "body".</summary>
    private static string FieldOf(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');

    private static string DescribeJsonError(JsonException json)
    {
        string message = json.Message;
        if (message.Contains("could not be mapped", StringComparison.Ordinal)) return "This field is not part of the request.";
        if (message.Contains("could not be converted", StringComparison.Ordinal)) return "The value has the wrong type for this field.";
        if (message.Contains("maximum configured depth", StringComparison.Ordinal)) return "The JSON is nested too deeply.";
        return "The JSON is malformed here.";
    }
}

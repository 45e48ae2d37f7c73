using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Pwgf.Api.Catalog;

namespace Pwgf.Api.Hosting;

/// <summary>
/// Turns request-binding failures into ProblemDetails: a JSON error names the field (its JSON path), a query, route or
/// header value that does not parse names its parameter, both in the validation-problem "errors" map; other bad
/// requests (size, content type) keep their status and say why.
/// Everything else is left to the default handler (500, no internals).
/// </summary>
public sealed partial class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
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
            : ParameterOf(badRequest.Message) is { } parameter
                ? new HttpValidationProblemDetails(new Dictionary<string, string[]> { [parameter.Name] = [parameter.Problem] })
                {
                    Title = "The request is not valid.",
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

    /// <summary>"$.estimators[1].samples" becomes "estimators[1].samples"; the root becomes "body". A path through an
    /// unknown field of any length is clipped like every echo of user text.</summary>
    private static string FieldOf(string? path) => RequestReading.Clip(
        string.IsNullOrEmpty(path) || path == "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$'));

    /// <summary>
    /// A query, route or header value that does not bind (Failed to bind parameter "int page" from "abc".) is filed
    /// under the parameter's name, without echoing the value, which may be of any length.
    /// </summary>
    private static (string Name, string Problem)? ParameterOf(string message) =>
        UnboundParameter().Match(message) is { Success: true } match
            ? (match.Groups["name"].Value, Expected(match.Groups["type"].Value))
            : null;

    /// <summary>What a value of the parameter's .NET type ("int", "int?", "Nullable&lt;int&gt;") must look like.</summary>
    private static string Expected(string type) => type.Replace("Nullable<", "", StringComparison.Ordinal).TrimEnd('>', '?') switch
    {
        "int" or "long" => "Must be a whole number within range.",
        "double" => "Must be a number.",
        "bool" => "Must be true or false.",
        var other => $"Must be a valid {other}.",
    };

    [GeneratedRegex("^Failed to bind parameter \"(?<type>[^\" ]+) (?<name>[^\" ]+)\" from ")]
    private static partial Regex UnboundParameter();

    private static string DescribeJsonError(JsonException json)
    {
        string message = json.Message;
        if (message.Contains("could not be mapped", StringComparison.Ordinal)) return "This field is not part of the request.";
        if (message.Contains("could not be converted", StringComparison.Ordinal)) return "The value has the wrong type for this field.";
        if (message.Contains("maximum configured depth", StringComparison.Ordinal)) return "The JSON is nested too deeply.";
        return "The JSON is malformed here.";
    }
}

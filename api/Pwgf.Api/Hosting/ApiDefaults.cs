using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Json;

namespace Pwgf.Api.Hosting;

public static class ApiDefaults
{
    public const long MaxRequestBodyBytes = 1_000_000;

    /// <summary>ProblemDetails for every error, JSON conventions of the API, and strict request binding.</summary>
    public static WebApplicationBuilder AddApiDefaults(this WebApplicationBuilder builder)
    {
        // Requests are small JSON documents; anything bigger is refused (413) before it is read.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        builder.Services.AddSingleton(TimeProvider.System);

        // Binding failures (malformed JSON, wrong types, unknown fields) throw, so the handler can name the field.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.Configure<JsonOptions>(options => Configure(options.SerializerOptions));
        return builder;
    }

    public static void Configure(JsonSerializerOptions json)
    {
        json.Converters.Add(new JsonStringEnumConverter());
        // A diverged run has NaN metrics; they are data, so they travel as "NaN" rather than breaking the response.
        json.NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals;
        json.MaxDepth = 32;
    }

    public static WebApplication UseApiDefaults(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }
}

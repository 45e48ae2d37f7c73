using Microsoft.OpenApi;

namespace Pwgf.Api.Hosting;

public static class ApiDocumentation
{
    public static WebApplicationBuilder AddApiDocumentation(this WebApplicationBuilder builder)
    {
        builder.Services.AddEndpointsApiExplorer();
        builder.Services.AddSwaggerGen(swagger =>
        {
            swagger.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "PwgfService",
                Version = "v1",
                Description = "Compare gradient estimators for discrete latent variables: submit comparisons, follow their runs, read their metrics.",
            });
            string xml = Path.Combine(AppContext.BaseDirectory, "Pwgf.Api.xml");
            if (File.Exists(xml)) swagger.IncludeXmlComments(xml);
        });
        return builder;
    }

    public static WebApplication MapApiDocumentation(this WebApplication app)
    {
        app.UseSwagger();
        app.UseSwaggerUI(ui => ui.DocumentTitle = "PwgfService API");
        return app;
    }
}

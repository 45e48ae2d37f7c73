using Pwgf.Api.Apis;
using Pwgf.Api.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddApiDefaults();
builder.AddPersistenceAndJobs();
builder.AddApiDocumentation();

var app = builder.Build();
app.UseApiDefaults();
app.MapApiDocumentation();
app.MapHealthEndpoints();
app.MapJobsDashboard();

var v1 = app.MapGroup("/api/v1");
v1.MapComparisonsApi();
v1.MapRunsApi();
v1.MapCatalogApi();
v1.MapDiagnosticsApi();

app.Run();

/// <summary>Entry point, visible to tests.</summary>
public partial class Program;

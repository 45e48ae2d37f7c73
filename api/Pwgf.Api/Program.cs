using Pwgf.Api.Catalog;
using Pwgf.Api.Comparisons;
using Pwgf.Api.Dashboard;
using Pwgf.Api.Diagnostics;
using Pwgf.Api.Hosting;
using Pwgf.Api.Keys;
using Pwgf.Api.Runs;
using Pwgf.Api.Series;

// Content root = the program's folder, so appsettings.json is found whatever directory it is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddApiDefaults();
builder.AddPersistenceAndJobs();
builder.AddApiSecurity();
builder.AddApiDocumentation();
builder.AddObservability();
builder.AddSeries();
builder.AddDiagnostics();

var app = builder.Build();
app.UseApiDefaults();
app.UseDashboardFiles();
app.UseApiSecurity();
app.MapApiDocumentation();
app.MapHealthEndpoints();
app.MapObservability();
app.MapJobsDashboard();
app.MapDashboard();

var v1 = app.MapGroup("/api/v1").RequireAuthorization(ApiSecurity.ReadPolicy);
v1.MapComparisonsApi();
v1.MapRunsApi();
v1.MapCatalogApi();
v1.MapDiagnosticsApi();
v1.MapKeysApi();

app.Run();

/// <summary>Entry point, visible to tests.</summary>
public partial class Program;

using Microsoft.Extensions.Hosting;
using Pwgf.Infrastructure;
using Pwgf.Worker;

// Content root = the program's folder, so appsettings.json is found whatever directory it is started from.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Services.AddPwgfDatabase(ServiceCollectionExtensions.PoolSizes.Worker);
builder.Services.AddPwgfHangfire(ServiceCollectionExtensions.PoolSizes.Worker);
builder.Services.AddPwgfDatasets();
builder.AddTrainingWorker();
builder.Build().Run();

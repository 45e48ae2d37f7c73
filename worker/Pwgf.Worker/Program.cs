using Microsoft.Extensions.Hosting;
using Pwgf.Infrastructure;
using Pwgf.Worker;

var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddPwgfDatabase(builder.Configuration);
builder.Services.AddPwgfHangfire(builder.Configuration);
builder.AddTrainingWorker();
builder.Build().Run();

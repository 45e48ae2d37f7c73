using System.CommandLine;
using Pwgf.Launcher;
using Pwgf.LocalStack;

// The commands ./pwgf hands over once it has checked the machine and built the solution (see ./pwgf help).
var workspace = Workspace.Find();

var workers = new Option<int>("--workers") { Description = "worker processes to start", DefaultValueFactory = _ => 1 };
workers.Validators.Add(result =>
{
    if (result.GetValueOrDefault<int>() < 0) result.AddError("--workers must be 0 or more");
});
var up = new Command("up", "start PostgreSQL, migrate, run the API and N workers until Ctrl-C") { workers };
up.SetAction(parse => UpCommand.RunAsync(workspace, parse.GetValue(workers)));

var down = new Command("down", "stop whatever a previous 'up' left running");
down.SetAction(_ => DownCommand.RunAsync(workspace));

var worker = new Command("worker", "run one more worker in the foreground") { TreatUnmatchedTokensAsErrors = false };
worker.SetAction(parse => ForegroundCommand.RunAsync(workspace, "worker", workspace.Programs.Worker, parse.UnmatchedTokens));

var migrate = new Command("migrate", "apply the database migrations");
migrate.SetAction(_ => ForegroundCommand.RunAsync(workspace, "migrate", workspace.Programs.Migrator, []));

var fast = new Option<bool>("--fast") { Description = "only the unit tests (no database, no processes)" };
var test = new Command("test", "run the tests; other arguments go to 'dotnet test'") { fast };
test.TreatUnmatchedTokensAsErrors = false;
test.SetAction(parse => TestCommand.RunAsync(workspace, parse.GetValue(fast), parse.UnmatchedTokens));

var screenshots = new Command("screenshots", "run the browser tests and copy their screenshots over docs/screenshots");
screenshots.SetAction(_ => TestCommand.ScreenshotsAsync(workspace));

var root = new RootCommand("PwgfService on this machine; run through ./pwgf") { up, down, worker, migrate, test, screenshots, ClusterCommands.Create() };
try
{
    // Signals are the commands' own business (Signals.cs): `up` needs far more than a couple of seconds to stop.
    return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
}
catch (LocalStackException exception)
{
    Say.Fail(exception.Message);
    return 1;
}

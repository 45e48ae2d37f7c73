using System.CommandLine;
using Pwgf.LocalStack;

namespace Pwgf.Launcher;

/// <summary>`./pwgf pg start|stop|restart|url|status DIR`: a cluster of its own in any directory, as the private one is made.</summary>
internal static class ClusterCommands
{
    public static Command Create()
    {
        var pg = new Command("pg", "a PostgreSQL cluster of its own in a directory (the private one is .pwgf/pg)");
        var directory = new Argument<DirectoryInfo>("DIR") { Description = "the cluster's directory" };
        var port = new Argument<int?>("PORT") { Description = "TCP port on 127.0.0.1 (default: the last one, else a free one from 55432)", Arity = ArgumentArity.ZeroOrOne };
        var database = new Argument<string>("DB") { Description = "database name", Arity = ArgumentArity.ZeroOrOne, DefaultValueFactory = _ => "postgres" };

        pg.Subcommands.Add(Sub("start", "create (once) and start a cluster in DIR", [directory, port], async (parse, cluster) =>
        {
            await cluster.StartAsync(parse.GetValue(port));
            Say.Info($"PostgreSQL in {cluster.Directory} runs on 127.0.0.1:{cluster.Port}");
            return 0;
        }));
        pg.Subcommands.Add(Sub("stop", "stop the cluster in DIR", [directory], async (_, cluster) =>
        {
            await cluster.StopAsync();
            return 0;
        }));
        pg.Subcommands.Add(Sub("restart", "restart it on the same port", [directory], async (_, cluster) =>
        {
            await cluster.RestartAsync();
            return 0;
        }));
        pg.Subcommands.Add(Sub("url", "print its connection string (DB defaults to postgres)", [directory, database], (parse, cluster) =>
        {
            Console.Out.WriteLine(cluster.ConnectionString(parse.GetValue(database)!));
            return Task.FromResult(0);
        }));
        pg.Subcommands.Add(Sub("status", "exit 0 when it runs", [directory], async (_, cluster) => await cluster.IsRunningAsync() ? 0 : 1));
        return pg;

        Command Sub(string name, string description, Argument[] arguments, Func<ParseResult, PostgresCluster, Task<int>> action)
        {
            var command = new Command(name, description);
            foreach (var argument in arguments) command.Arguments.Add(argument);
            command.SetAction(parse => action(parse, new PostgresCluster(parse.GetValue(directory)!.FullName, PostgresBinaries.Require())));
            return command;
        }
    }
}

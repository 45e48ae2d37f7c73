using Pwgf.LocalStack;

namespace Pwgf.Launcher;

/// <summary>`./pwgf down`: stops what an earlier `up` left running, then the private cluster.</summary>
internal static class DownCommand
{
    private static readonly TimeSpan ChildGrace = TimeSpan.FromSeconds(30);

    /// <summary>The supervisor needs the children's grace, then the cluster's shutdown.</summary>
    private static readonly TimeSpan SupervisorGrace = ChildGrace + TimeSpan.FromSeconds(60);

    public static async Task<int> RunAsync(Workspace workspace)
    {
        var pids = new PidFiles(workspace.Run);
        var live = pids.Live();
        // A live `up` stops its own children in order.
        foreach (var (_, pid) in live.Where(p => p.Name == "up"))
        {
            Say.Info($"stopping './pwgf up' (pid {pid})");
            await StopAsync(pid, PidFiles.Supervisor, SupervisorGrace);
        }
        // Whatever is left, e.g. when the supervisor was killed with SIGKILL.
        var left = pids.Live().Where(p => p.Name != "up").ToList();
        if (left.Count > 0)
        {
            Say.Info($"stopping {string.Join(' ', left.Select(p => p.Name))}");
            await Task.WhenAll(left.Select(p => StopAsync(p.Pid, PidFiles.Program, ChildGrace)));
        }
        pids.Clear();

        if (PostgresBinaries.Find() is { } binaries && workspace.PrivateCluster(binaries) is var cluster && await cluster.IsRunningAsync())
        {
            await cluster.StopAsync();
            Say.Info($"PostgreSQL in {workspace.Pretty(cluster.Directory)} stopped");
        }
        return 0;
    }

    /// <summary>SIGTERM, then SIGKILL if the process still runs <paramref name="program"/> after <paramref name="grace"/>.</summary>
    private static async Task StopAsync(int pid, string program, TimeSpan grace)
    {
        await ServiceProcess.Signal(pid, "TERM");
        var deadline = DateTime.UtcNow + grace;
        while (PidFiles.Runs(pid, program))
        {
            if (DateTime.UtcNow > deadline)
            {
                Say.Warn($"process {pid} ignored SIGTERM for {grace.TotalSeconds:0} s; killing it");
                await ServiceProcess.Signal(pid, "KILL");
                return;
            }
            await Task.Delay(200);
        }
    }
}

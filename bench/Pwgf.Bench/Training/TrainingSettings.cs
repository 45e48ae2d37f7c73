namespace Pwgf.Bench.Training;

/// <summary>Options of the training bench; see Usage in Program.cs.</summary>
/// <param name="Url">The stack to measure (one worker; <see cref="BenchStack"/> starts one when none is given); loopback only.</param>
/// <param name="Quick">Shorter windows and fewer repetitions: the whole command in a few minutes.</param>
/// <param name="ApiKeyFile">Where `./pwgf up` keeps the key, read when $PWGF_API_KEY is not set.</param>
/// <param name="WorkerThreads">libtorch threads of the stack's worker; the bare loop is compared at the same count.</param>
/// <param name="Python">The interpreter with Debian's python3-torch.</param>
/// <param name="PeerScript">bench/peers/pytorch_vae.py.</param>
/// <param name="Output">Markdown file for the report, besides stdout; optional.</param>
public sealed record TrainingSettings(
    Uri Url, bool Quick, string ApiKeyFile, int WorkerThreads, string Python, string PeerScript, string? Output)
{
    public static readonly string[] Architectures = ["linear", "nonlinear"];
    public static readonly string[] Estimators = ["st", "disarm"];
    public static readonly int[] ThreadCounts = [1, 2];

    public int WarmUp => Quick ? 50 : 200;
    public int Window => Quick ? 200 : 500;
    public int Windows => Quick ? 3 : 5;
    public int ServiceSteps => Quick ? 2000 : 6000;

    public static bool TryParse(string[] args, out TrainingSettings settings, out string? problem)
    {
        settings = new TrainingSettings(new Uri("http://127.0.0.1/"), false, Path.Combine(".pwgf", "api-key"), 1,
            "/usr/bin/python3", Path.Combine("bench", "peers", "pytorch_vae.py"), null);
        problem = null;
        bool haveUrl = false;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--quick")
            {
                settings = settings with { Quick = true };
                continue;
            }
            if (i + 1 >= args.Length)
            {
                problem = $"'{args[i]}' needs a value";
                return false;
            }
            string option = args[i], value = args[++i];
            switch (option)
            {
                case "--url" when ServiceCalls.LoopbackUrl(value) is { } url:
                    settings = settings with { Url = url };
                    haveUrl = true;
                    break;
                case "--api-key-file": settings = settings with { ApiKeyFile = value }; break;
                case "--worker-threads" when int.TryParse(value, out int threads) && threads is >= 1 and <= 64:
                    settings = settings with { WorkerThreads = threads };
                    break;
                case "--python": settings = settings with { Python = value }; break;
                case "--peer-script": settings = settings with { PeerScript = value }; break;
                case "--output": settings = settings with { Output = value }; break;
                default:
                    problem = $"unknown option or bad value: {option} {value}";
                    return false;
            }
        }
        if (!haveUrl) problem = "--url is required (an http address on this machine)";
        return problem is null;
    }
}

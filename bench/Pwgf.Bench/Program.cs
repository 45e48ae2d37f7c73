using Pwgf.Bench;

// Commands by name; each parses its own options and returns the process exit code.
return args.FirstOrDefault() switch
{
    "estimators" => EstimatorCosts.Run(args[1..]),
    "pollers" => await BenchStack.RunAsync("pollers", args[1..], workers: 1, new Dictionary<string, string>(),
        (all, stack) => PollerLoad.RunAsync(stack is null ? all : [.. all, "--api-log", stack.ApiLog])),
    "experiments" => await Experiments.RunOnOwnStackAsync(args[1..]),
    "training" => await Pwgf.Bench.Training.TrainingBench.RunOnOwnStackAsync(args[1..]),
    "micro" => Pwgf.Bench.Micro.MicroBench.Run(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        Usage: Pwgf.Bench COMMAND [OPTIONS]

          estimators [--dims N] [--classes K] [--samples N] [--repetitions R] [--output FILE]
              time GradientAudit for every registered estimator x distribution it applies to and print a
              markdown table (also written to FILE when given)

          pollers [--url URL] [--pollers N] [--seconds S] [--api-key-file FILE] [--api-log FILE] [--output FILE]
              on the service at URL (loopback only; without it, on a stack of its own: BenchStack.cs), train one long run and measure its speed alone, under N
              closed-loop pollers and alone again (S seconds each), then cancel it; print a markdown report of
              the slowdown and the request latencies (also written to FILE when given). Sends X-Api-Key from
              $PWGF_API_KEY, else from the key file (default .pwgf/api-key) when it exists; with --api-log, also
              reports how much the API logged under load

          micro [--output FILE]
              BenchmarkDotNet on the parts of a training step the worker does its own way (fused Adam, batch
              binarisation, Bernoulli sampling) against plain TorchSharp; prints the table (also written to FILE)

          experiments [--url URL] [--output DIR] [--quick] [--only TASK,...] [--deadline MINUTES] [--api-key-file FILE]
                      [--workers N] [--torch-threads T] [--commit TEXT] [--started UNIX-SECONDS]
              submit the experiment plan (ExperimentBudget.cs; --quick: a budget of minutes) to the service at URL
              (loopback only) through its API, wait for every run, read the metrics back and write DIR/results.md
              with PNG plots in DIR/results/; a comparison the API refuses is reported as not run. At the deadline
              (minutes after --started; default in ExperimentBudget.cs) unfinished runs are cancelled and the report
              is written from what finished. Workers, threads,
              commit and start time are facts for the report. Without --url, on a stack of its own of --workers
              workers (default 2) with --torch-threads threads (default 1); the report goes to docs/ (--quick: a
              temporary folder) unless --output says where

          training [--url URL] [--quick] [--torch-threads T] [--output FILE]
              the worker's bernoulli-vae steps/s against a bare TorchSharp loop and PyTorch eager; without --url, on a
              stack of its own of one worker with T libtorch threads (default 0: its share), which also measures a
              second worker; the full run writes docs/training-throughput.md
        """);
    return 2;
}

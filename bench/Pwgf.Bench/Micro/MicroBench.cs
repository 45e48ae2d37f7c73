using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Pwgf.Bench.Micro;

/// <summary>
/// `./pwgf bench micro [--output FILE]`: BenchmarkDotNet on the parts of a training step the worker does its own
/// way (<see cref="StepParts"/>). The benchmarks run in this process (libtorch's native library is set up for this
/// build only), with BenchmarkDotNet's usual warm-up, pilot and statistics; the GitHub-flavoured table is printed
/// and written to FILE.
/// </summary>
public static class MicroBench
{
    public static int Run(string[] args)
    {
        string? output = args.Length == 2 && args[0] == "--output" ? args[1] : null;
        if (args.Length != 0 && output is null)
        {
            Console.Error.WriteLine("micro: the only option is --output FILE");
            return 2;
        }
        var artifacts = Path.Combine(Path.GetTempPath(), $"pwgf-micro-{Environment.ProcessId}");
        var config = ManualConfig.CreateEmpty()
            .AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(5).WithIterationCount(15))
            .AddColumnProvider(DefaultConfig.Instance.GetColumnProviders().ToArray())
            .AddLogger(ConsoleLogger.Default)
            .AddExporter(MarkdownExporter.GitHub)
            .WithArtifactsPath(artifacts);
        Summary summary = BenchmarkRunner.Run<StepParts>(config);
        if (summary.HasCriticalValidationErrors || summary.Reports.Any(r => !r.Success)) return 1;

        string table = File.ReadAllText(Directory.GetFiles(Path.Combine(artifacts, "results"), "*-report-github.md").Single());
        string text = $"""
            ## Parts of a training step (BenchmarkDotNet)

            `./pwgf bench micro`, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC. bernoulli-vae linear model (784-200 / 200-784),
            batch 50, 200 latents, one libtorch thread. In each category the baseline (Ratio 1.00) is the plain TorchSharp way
            and the other row the worker's own: TorchSharpAdam is `optim.Adam`, FusedAdam `Pwgf.Training.Optimization.Adam`;
            LibtorchBatch is randint + index_select + bernoulli, BinarisedBatches `Pwgf.Training.Data.BinarisedBatches`;
            LibtorchBernoulli is bernoulli(sigmoid(logits)), UniformBernoulli `LatentFamily.Bernoulli.Sample` (uniform < p).

            {table}
            """;
        Console.WriteLine(text);
        if (output is not null) File.WriteAllText(output, text);
        return 0;
    }
}

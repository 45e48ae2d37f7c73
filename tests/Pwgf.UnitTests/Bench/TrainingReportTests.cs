using Pwgf.Bench;
using Pwgf.Bench.Training;

namespace Pwgf.UnitTests.Bench;

/// <summary>The training bench's ratios and report, from measurements made up here (nothing is trained).</summary>
public sealed class TrainingReportTests
{
    private static readonly TrainingSettings Settings =
        new(new Uri("http://127.0.0.1:5099/"), Quick: true, "key", WorkerThreads: 2, "/usr/bin/python3", "peer.py", Output: null);

    private static readonly ModelKey LinearSt = new("linear", "st"), LinearDisarm = new("linear", "disarm"),
        NonlinearSt = new("nonlinear", "st"), NonlinearDisarm = new("nonlinear", "disarm");

    private static TrainingResults Results(Dictionary<ModelKey, double> service, ApiLoad.Result? api = null) => new(
        DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow,
        new Dictionary<int, double> { [1] = 150, [2] = 280 },
        new Dictionary<(ModelKey, int), double>
        {
            // At 1 thread the bare loop is slower: ratios against it would be higher than against 2 threads.
            [(LinearSt, 1)] = 300, [(LinearDisarm, 1)] = 250, [(NonlinearSt, 1)] = 200, [(NonlinearDisarm, 1)] = 150,
            [(LinearSt, 2)] = 400, [(LinearDisarm, 2)] = 330, [(NonlinearSt, 2)] = 250, [(NonlinearDisarm, 2)] = 220,
        },
        service,
        new Dictionary<(ModelKey, int), double>
        {
            // PyTorch at its best: one thread, except the nonlinear DisARM model, which is faster at two.
            [(LinearSt, 1)] = 150, [(LinearDisarm, 1)] = 140, [(NonlinearSt, 1)] = 110, [(NonlinearDisarm, 1)] = 90,
            [(LinearSt, 2)] = 70, [(LinearDisarm, 2)] = 60, [(NonlinearSt, 2)] = double.NaN, [(NonlinearDisarm, 2)] = 100,
        },
        "1.13.0", [("st", 400), ("disarm", 320)], MetricWrites: null, api, Scaling: null);

    private static Dictionary<ModelKey, double> Service() => new()
    {
        [LinearSt] = 600, [LinearDisarm] = 500, [NonlinearSt] = 400, [NonlinearDisarm] = 300,
    };

    [Fact]
    public void The_ratios_are_the_lowest_over_models_and_estimators_against_the_workers_thread_count_and_the_best_peer()
    {
        var results = Results(Service());

        // service / bare at 2 threads: 1.50, 1.52, 1.60, 1.36; service / best PyTorch: 4.00, 3.57, 3.64, 3.00.
        Assert.Equal(300.0 / 220, results.RatioVsBareLoop(Settings.WorkerThreads), 12);
        Assert.Equal(300.0 / 100, results.RatioVsPytorch(), 12);
        Assert.Equal(["ratio_vs_bare_loop: 1.36", "ratio_vs_pytorch: 3.00"], TrainingReport.RatioLines(Settings, results));
    }

    [Fact]
    public void A_model_the_service_never_measured_makes_the_ratios_not_available_rather_than_flattering()
    {
        var service = Service();
        service.Remove(NonlinearDisarm);
        var results = Results(service);

        Assert.Equal(["ratio_vs_bare_loop: n/a", "ratio_vs_pytorch: n/a"], TrainingReport.RatioLines(Settings, results));
    }

    [Fact]
    public void The_report_tables_every_model_the_estimator_costs_and_the_api_target()
    {
        var poll = (double p95) => new LatencySummary("poll", 500, 25, 0, 2.0, p95, 9.0, 12.0);
        var api = new ApiLoad.Result(100_000, 50, poll(3.5), poll(7.4), poll(30), poll(40), poll(800), 200, 0);
        string report = TrainingReport.Render(Settings, Results(Service(), api));

        Assert.Contains("| nonlinear | disarm | 300.0 | 150.0 | 220.0 | 90.0 / 100.0 | 1.36 | 3.00 |", report);
        Assert.Contains("| nonlinear | st | 400.0 | 200.0 | 250.0 | 110.0 / n/a | 1.60 | 3.64 |", report);
        Assert.Contains("| disarm | 320.0 | 1.25 |", report);
        Assert.Contains("ratio_vs_bare_loop = 1.36 (target >= 0.9), ratio_vs_pytorch = 3.00 (target >= 2.5)", report);
        // The target line takes the worse of the dashboards' two polls.
        Assert.Contains("API p95 with 50 dashboards polling = 7.4 ms (target < 50 ms).", report);
    }
}

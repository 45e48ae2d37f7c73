using Pwgf.Bench;

// Commands by name; each parses its own options and returns the process exit code.
return args.FirstOrDefault() switch
{
    "estimators" => EstimatorCosts.Run(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        Usage: Pwgf.Bench COMMAND [OPTIONS]

          estimators [--dims N] [--classes K] [--samples N] [--repetitions R] [--output FILE]
              time GradientAudit for every registered estimator x distribution it applies to and print a
              markdown table (also written to FILE when given)
        """);
    return 2;
}

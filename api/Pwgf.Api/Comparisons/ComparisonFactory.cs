using System.Text.Json;
using Pwgf.Infrastructure;
using Pwgf.Infrastructure.Entities;
using Pwgf.Training;

namespace Pwgf.Api.Comparisons;

/// <summary>Turns a validated specification into a comparison with one run per estimator x seed.</summary>
internal static class ComparisonFactory
{
    public static Comparison Create(ComparisonSpecification specification, string? idempotencyKey, DateTimeOffset now)
    {
        var comparison = new Comparison(specification.Task, JsonSerializer.Serialize(specification, RunJson.Options),
            RunJson.Hash(specification), idempotencyKey, now);
        foreach (var estimator in specification.Estimators)
        {
            foreach (long seed in specification.Seeds)
            {
                var configuration = new RunConfiguration(
                    specification.Task, specification.TaskOptions, estimator.Name, estimator.Parameters, seed,
                    specification.Steps, new OptimizerConfiguration(specification.Optimizer.Name, specification.Optimizer.LearningRate),
                    specification.EvalEvery, specification.TaskLists, specification.TaskChoices);
                comparison.Runs.Add(new Run(comparison.Id, estimator.Label, seed, specification.Steps,
                    JsonSerializer.Serialize(configuration, RunJson.Options), RunJson.Hash(configuration), now));
            }
        }
        return comparison;
    }
}

using System.Text.Json;
using Pwgf.Infrastructure;
using Pwgf.Infrastructure.Entities;
using Pwgf.Training;

namespace Pwgf.Api.Comparisons;

/// <summary>Turns a validated specification into a comparison with one run per estimator x seed.</summary>
internal static class ComparisonFactory
{
    public static Comparison Create(ComparisonSpecification specification, Guid createdByKey, string? idempotencyKey, DateTimeOffset now)
    {
        var comparison = new Comparison(specification, idempotencyKey, now, createdByKey);
        foreach (var estimator in specification.Estimators)
        {
            foreach (long seed in specification.Seeds)
            {
                comparison.Runs.Add(new Run(comparison.Id, estimator.Label, specification.RunOf(estimator, seed), now));
            }
        }
        return comparison;
    }
}

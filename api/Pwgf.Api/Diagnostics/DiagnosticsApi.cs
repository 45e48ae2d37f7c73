using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Pwgf.Api.Hosting;
using Pwgf.Api.Hosting.OpenApi;
using Pwgf.Estimators.Diagnostics;
using Pwgf.Estimators.Families;

namespace Pwgf.Api.Diagnostics;

/// <summary>
/// /api/v1/diagnostics: gradient audits computed in the request. The handler's XML comment is its entry in the OpenAPI
/// document.
/// </summary>
public static class DiagnosticsApi
{
    public static readonly ApiTag Tag = new("Diagnostics", "Gradient audits: estimators against the exact gradient at one parameter point, computed in the request.");

    public static RouteGroupBuilder MapDiagnosticsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/diagnostics").WithApiTag(Tag);

        // Not a mutation, but it spends CPU on the caller's behalf: it needs a key with the submit scope.
        group.MapPost("/", Audit).WithName("AuditGradients")
            .RequireAuthorization(ApiSecurity.SubmitPolicy)
            .WithRequestExamples(DiagnosticsExamples.PoissonAudit, DiagnosticsExamples.CategoricalAudit)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return api;
    }

    /// <summary>Audit estimators at one parameter point: mean, variance, standard error and bias of their per-sample gradients against the exact gradient.</summary>
    /// <remarks>
    /// Needs a key with the submit scope: it spends CPU in the request (bounded by size limits and a compute budget,
    /// 422 past either). Give the distribution, its logits (categorical: one vector per dimension), an objective f
    /// (power: sum |v - target|^power; linear-square: (sum w v - target)^2), the estimators and the number of
    /// per-sample draws. The answer has the exact gradient and, per estimator in request order, mean, standard error,
    /// variance, bias, relative bias and cosine similarity to the exact gradient.
    /// </remarks>
    /// <param name="request">The audit.</param>
    /// <param name="options">The compute budget.</param>
    /// <param name="cancellationToken">Request aborted.</param>
    public static Results<Ok<DiagnosticsResponse>, ValidationProblem, ProblemHttpResult> Audit(
        DiagnosticsRequest request,
        IOptions<DiagnosticsOptions> options,
        CancellationToken cancellationToken)
    {
        // Runs in the request, unlike comparisons: an audit is one bounded computation (see DiagnosticsLimits), so
        // queueing it would add latency and storage for nothing.
        var plan = DiagnosticsValidator.Validate(request, out var errors, out string? exceededLimits);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors, title: "The diagnostics request is not valid.");
        if (plan is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity,
                title: "The diagnostics request exceeds a limit.", detail: exceededLimits);
        }

        var family = LatentFamily.Of(plan.Distribution);
        var exact = GradientAudit.ExactGradient(family, plan.Point, plan.Dims, plan.Classes, plan.Objective);
        var results = new List<EstimatorAudit>();
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var allowed = options.Value.MaxComputeTime;
        budget.CancelAfter(allowed);
        try
        {
            foreach (var planned in plan.Estimators)
            {
                var estimator = planned.Definition.Build(plan.Distribution, planned.Parameters, planned.Choices);
                // Estimators that own tensors (a tuned control variate) release them here, not at finalisation.
                using var owned = estimator as IDisposable;
                var audit = GradientAudit.Run(family, plan.Point, plan.Dims, plan.Classes, plan.Objective, estimator,
                    plan.Samples, plan.Seed, cancellationToken: budget.Token);
                var test = audit.BiasTest;
                results.Add(new EstimatorAudit(planned.Definition.Name, planned.Parameters, audit.Evaluations, audit.Mean,
                    audit.StandardError, audit.Variance, audit.Bias, audit.RelativeBias, audit.CosineSimilarity,
                    new BiasTestSummary(test.Method, test.Statistic, test.DegreesOfFreedom, test.DenominatorDegreesOfFreedom, test.PValue),
                    audit.RelativeBiasCorrected, audit.RelativeBiasUpper95, audit.CosineSimilarityUnavailable,
                    audit.WorkNormalizedVariance, audit.SecondsPerEstimate, audit.TimeNormalizedVariance, planned.Choices));
            }
        }
        catch (OperationCanceledException) when (budget.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity,
                title: "The diagnostics request exceeds a limit.",
                detail: $"The audit needed more than its compute budget of {allowed.TotalSeconds} s; use fewer samples, estimators or draws.");
        }
        return TypedResults.Ok(new DiagnosticsResponse(exact, results));
    }
}

using System.Globalization;
using Pwgf.Estimators.Families;
using Pwgf.Estimators.Pathwise;
using static Pwgf.Estimators.Families.LatentDistribution;

namespace Pwgf.Estimators;

/// <summary>An estimator as a comparison lists it: a registry name with its parameters and named choices.</summary>
public sealed record EstimatorSettings(
    string Name, IReadOnlyDictionary<string, double> Parameters, IReadOnlyDictionary<string, string>? Choices = null);

/// <summary>The other settings of a list that are the same estimator as one setting, and why.</summary>
/// <param name="Others">Indices into the list, in list order; empty when the setting is unlike every other.</param>
/// <param name="Reason">The identities that make them one estimator, in a sentence; null when Others is empty.</param>
public sealed record SameEstimator(IReadOnlyList<int> Others, string? Reason);

/// <summary>
/// Which settings of the registry's estimators compute the same gradient from the same samples on a given latent
/// family, so that a comparison can say so instead of ranking them apart. Only identities that hold exactly, sample by
/// sample, are declared (each is checked against the two implementations' gradients in EstimatorIdentityTests);
/// estimators that merely agree in distribution (arms with two samples and disarm draw their noise differently) are
/// not. A setting is rewritten by the identities until none applies; two settings with the same result are the same
/// estimator.
/// </summary>
public static class EstimatorIdentities
{
    private static readonly Identity[] Identities =
    [
        new("pwgf's preconditioned acts only on Poisson latents",
            (s, distribution, _) => s.Name == "pwgf" && distribution != Poisson ? s.WithDefault("preconditioned") : null),

        new("leg's truncation acts only on Poisson latents",
            (s, distribution, _) => s.Name == "leg" && distribution != Poisson ? s.WithDefault("truncation") : null),

        new("pwgf with projection mean is straight-through: the mean-matching projection of the flow (docs/pwgf.md)",
            (s, _, _) => s.Name == "pwgf" && s.Choice("projection") == PwgfProjection.Mean ? Normal.Of("st") : null),

        new("pwgf's W2 rule is ReinMax at temperature 1, sample by sample, on Bernoulli latents and on categorical ones with two classes (docs/pwgf.md, 4.2 and 4.3)",
            (s, distribution, classes) => s.Name == "pwgf" && s.Choice("projection") == PwgfProjection.W2
                && (distribution == Bernoulli || (distribution == Categorical && classes == 2))
                ? Normal.Of("reinmax", new Dictionary<string, double> { ["temperature"] = 1 })
                : null),
    ];

    /// <summary>For each setting of <paramref name="settings"/>, the others that are the same estimator on this family.</summary>
    /// <param name="settings">The estimators of one comparison, in its order.</param>
    /// <param name="distribution">The task's latent family.</param>
    /// <param name="classes">Classes per categorical coordinate (0 when unknown, which declares no identity that
    /// depends on it); ignored for the other families.</param>
    public static IReadOnlyList<SameEstimator> Among(IReadOnlyList<EstimatorSettings> settings, LatentDistribution distribution, int classes)
    {
        var normals = settings.Select(s => Simplest(s, distribution, classes)).ToList();
        return [.. normals.Select((own, i) =>
        {
            var others = normals.Select((other, j) => (other, j)).Where(o => o.j != i && o.other.Form.Key == own.Form.Key).Select(o => o.j).ToList();
            if (others.Count == 0) return new SameEstimator([], null);
            var reasons = others.Prepend(i).SelectMany(k => normals[k].Reasons).Distinct().ToList();
            return new SameEstimator(others, reasons.Count == 0 ? "the same settings" : string.Join("; ", reasons));
        })];
    }

    /// <summary>Whether two settings are the same estimator on this family (see <see cref="Among"/>).</summary>
    public static bool Same(EstimatorSettings first, EstimatorSettings second, LatentDistribution distribution, int classes) =>
        Among([first, second], distribution, classes)[0].Others.Count > 0;

    /// <summary>Applies the identities until none changes the setting; the reasons of those that did.</summary>
    private static (Normal Form, IReadOnlyList<string> Reasons) Simplest(EstimatorSettings settings, LatentDistribution distribution, int classes)
    {
        var form = Normal.Of(settings);
        var reasons = new List<string>();
        // Every identity makes the setting simpler (fewer non-default values or a plainer estimator), so this ends;
        // the bound only guards against a future identity that undoes another.
        for (int round = 0; round <= Identities.Length; round++)
        {
            var applied = Identities
                .Select(identity => (identity.Reason, Result: identity.Apply(form, distribution, classes)))
                .FirstOrDefault(a => a.Result is not null && a.Result.Key != form.Key);
            if (applied.Result is null) break;
            form = applied.Result;
            reasons.Add(applied.Reason);
        }
        return (form, reasons);
    }

    private sealed record Identity(string Reason, Func<Normal, LatentDistribution, int, Normal?> Apply);

    /// <summary>
    /// A setting with every parameter resolved against the registry (defaults filled in), keyed by its name and values,
    /// so settings that differ only in how they were written compare equal.
    /// </summary>
    private sealed record Normal(string Name, IReadOnlyDictionary<string, double> Numbers, IReadOnlyDictionary<string, string> Choices)
    {
        public string Key => Name + "(" + string.Join(",",
            Numbers.OrderBy(n => n.Key, StringComparer.Ordinal).Select(n => $"{n.Key}={n.Value.ToString("R", CultureInfo.InvariantCulture)}")
                .Concat(Choices.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}={c.Value}"))) + ")";

        public string? Choice(string name) => Choices.GetValueOrDefault(name);

        /// <summary>The estimator's settings with <paramref name="parameter"/> back at its default.</summary>
        public Normal WithDefault(string parameter)
        {
            var spec = EstimatorRegistry.Find(Name)?.Parameters.FirstOrDefault(p => p.Name == parameter);
            if (spec is null || !Numbers.ContainsKey(parameter)) return this;
            return this with { Numbers = new Dictionary<string, double>(Numbers) { [parameter] = spec.Default } };
        }

        public static Normal Of(string name, IReadOnlyDictionary<string, double>? numbers = null) =>
            Of(new EstimatorSettings(name, numbers ?? new Dictionary<string, double>()));

        /// <summary>Resolves against the registry; a name it no longer knows (or values it refuses) stays as given.</summary>
        public static Normal Of(EstimatorSettings settings)
        {
            var choices = settings.Choices ?? new Dictionary<string, string>();
            if (EstimatorRegistry.Find(settings.Name) is not { } definition) return new(settings.Name, settings.Parameters, choices);
            var resolved = definition.Resolve(settings.Parameters, out var problems, choices);
            return problems.Count > 0
                ? new(settings.Name, settings.Parameters, choices)
                : new(settings.Name, resolved.Values, resolved.Choices);
        }
    }
}

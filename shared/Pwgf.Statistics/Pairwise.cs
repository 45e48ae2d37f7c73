namespace Pwgf.Statistics;

/// <summary>One pair of estimators compared on their final scores across seeds.</summary>
/// <param name="Estimator">The first of the pair, in the order the estimators were given.</param>
/// <param name="Versus">The second.</param>
/// <param name="MeanDifference">Estimator's mean minus Versus's; null when either has no finite mean or a diverged seed.</param>
/// <param name="StandardError">Standard error of the difference, sqrt(se1^2 + se2^2); null below two seeds on either side.</param>
/// <param name="PValue">Welch's two-sided p-value; null when the pair cannot be tested (below two seeds, or a diverged seed).</param>
/// <param name="PValueAdjusted">Holm-adjusted over every tested pair of the comparison; null when not tested.</param>
/// <param name="Significant">The order of the two is resolved: PValueAdjusted at most alpha, or exactly one of them
/// diverged on some seed (a failure outranks any noise). Never for two names of one estimator.</param>
/// <param name="SameEstimator">The two are one estimator under two names: the pair is not tested (there is nothing to
/// resolve), and its mean difference only shows how far their seeds drifted apart.</param>
public sealed record PairDifference(
    string Estimator,
    string Versus,
    double? MeanDifference,
    double? StandardError,
    double? PValue,
    double? PValueAdjusted,
    bool Significant,
    bool SameEstimator = false);

/// <summary>Where one estimator stands once the noise between seeds is accounted for.</summary>
/// <param name="Estimator">The estimator.</param>
/// <param name="Rank">Competition rank by mean (1 = lowest; equal means share a rank; a diverged seed ranks after
/// every estimator without one; names of one estimator share a rank and count once); null without any score.</param>
/// <param name="RankLow">The best rank the tests allow: 1 + the estimators significantly better.</param>
/// <param name="RankHigh">The worst rank the tests allow: the ranked estimators minus those significantly worse.</param>
/// <param name="IndistinguishableFrom">Ranked estimators whose difference from this one is not significant, other
/// names of this estimator included.</param>
/// <param name="SeedsToResolve">Seeds per estimator needed for 80 % power at the gap to the nearest mean (see
/// <see cref="Pwgf.Statistics.SeedsToResolve"/>); null when it cannot be estimated.</param>
public sealed record Standing(
    string Estimator,
    int? Rank,
    int? RankLow,
    int? RankHigh,
    IReadOnlyList<string> IndistinguishableFrom,
    int? SeedsToResolve)
{
    /// <summary>"2" when the tests fix the rank, "1-3" when they allow a range; null without a rank.</summary>
    public string? RankGroup => RankLow is not { } low || RankHigh is not { } high ? null : low == high ? $"{low}" : $"{low}-{high}";

    /// <summary>The tests allow more than one rank.</summary>
    public bool Resolved => RankLow is { } low && low == RankHigh;
}

/// <summary>The pairs and the standings of one comparison, estimators in the order given.</summary>
public sealed record PairwiseComparison(IReadOnlyList<PairDifference> Pairs, IReadOnlyList<Standing> Standings);

/// <summary>
/// Significance between estimators on one score across seeds (lower is better): Welch's t-test for every pair,
/// Holm's adjustment over all tested pairs at <see cref="Alpha"/>, and rank groups that read the ranks as far as the
/// tests resolve them. An estimator's rank group runs from 1 + (estimators significantly better) to
/// (ranked estimators) - (estimators significantly worse): every rank consistent with the resolved differences.
/// Names that are one estimator (same group number) count once: the pairs between them are not tested, and they share
/// the standing of the first of them that has a score, ranked and resolved by that one's seeds.
/// </summary>
public static class Pairwise
{
    public const double Alpha = 0.05;
    public const double Power = 0.8;

    /// <param name="scores">Each estimator's final scores summarised over its seeds; estimators without any score
    /// (no succeeded run) get no rank and take part in no pair.</param>
    /// <param name="groups">A group number per estimator: equal numbers mark names of one estimator (Pwgf.Estimators'
    /// EstimatorIdentities decides which). Null when every estimator is distinct.</param>
    public static PairwiseComparison Compare(IReadOnlyList<(string Estimator, SeedSummary Score)> scores, IReadOnlyList<int>? groups = null)
    {
        groups ??= [.. Enumerable.Range(0, scores.Count)];
        ArgumentOutOfRangeException.ThrowIfNotEqual(groups.Count, scores.Count, nameof(groups));
        var ranked = new List<(string Estimator, SeedSummary Score)>();
        var rankedGroup = new List<int>();
        var rankedIndex = new int?[scores.Count];
        for (int k = 0; k < scores.Count; k++)
        {
            if (scores[k].Score.Count + scores[k].Score.Diverged == 0) continue;
            rankedIndex[k] = ranked.Count;
            ranked.Add(scores[k]);
            rankedGroup.Add(groups[k]);
        }
        var pairs = new List<(int First, int Second, bool Same, WelchResult? Test)>();
        for (int i = 0; i < ranked.Count; i++)
        {
            for (int j = i + 1; j < ranked.Count; j++)
            {
                bool same = rankedGroup[i] == rankedGroup[j];
                pairs.Add((i, j, same, same ? null : WelchTest.Compare(ranked[i].Score, ranked[j].Score)));
            }
        }
        var tested = pairs.Where(p => p.Test is not null).ToList();
        var adjusted = Holm.Adjust([.. tested.Select(p => p.Test!.PValue)]);
        var adjustedOf = tested.Select((p, k) => (p.First, p.Second, Adjusted: adjusted[k])).ToDictionary(p => (p.First, p.Second), p => p.Adjusted);

        var differences = pairs.Select(pair =>
        {
            var (first, second) = (ranked[pair.First].Score, ranked[pair.Second].Score);
            double? adjustedP = adjustedOf.TryGetValue((pair.First, pair.Second), out double a) ? a : null;
            bool decidedByDivergence = !pair.Same && first.Diverged > 0 != second.Diverged > 0;
            return new PairDifference(
                ranked[pair.First].Estimator,
                ranked[pair.Second].Estimator,
                first.AllFinite && second.AllFinite ? first.Mean!.Value - second.Mean!.Value : null,
                first.AllFinite && second.AllFinite && first.StandardError is { } e1 && second.StandardError is { } e2 ? Math.Sqrt(e1 * e1 + e2 * e2) : null,
                pair.Test?.PValue,
                adjustedP,
                adjustedP <= Alpha || decidedByDivergence,
                pair.Same);
        }).ToList();

        // One estimator under several names stands as its first ranked name: that name's seeds give the rank, and only
        // the pairs between such first names decide which ranks the tests resolve.
        var keys = ranked.Select(r => RankKey(r.Score)).ToArray();
        var lead = Enumerable.Range(0, ranked.Count).Select(i => rankedGroup.IndexOf(rankedGroup[i])).ToArray();
        var leads = lead.Distinct().ToList();
        bool Significant(int i, int j) => differences[PairIndex(Math.Min(i, j), Math.Max(i, j), ranked.Count)].Significant;
        double alphaPerPair = Alpha / Math.Max(1, tested.Count);

        var standings = scores.Select((entry, k) =>
        {
            if (rankedIndex[k] is not { } i) return new Standing(entry.Estimator, null, null, null, [], null);
            int own = lead[i];
            var others = leads.Where(j => j != own).ToList();
            int rank = 1 + others.Count(j => keys[j] < keys[own]);
            int better = others.Count(j => Significant(own, j) && keys[j] < keys[own]);
            int worse = others.Count(j => Significant(own, j) && keys[j] > keys[own]);
            return new Standing(
                entry.Estimator,
                rank,
                1 + better,
                leads.Count - worse,
                [.. Enumerable.Range(0, ranked.Count).Where(j => j != i && (lead[j] == own || !Significant(own, lead[j]))).Select(j => ranked[j].Estimator)],
                SeedsToNearest(own, others, ranked, alphaPerPair));
        }).ToList();
        return new PairwiseComparison(differences, standings);
    }

    /// <summary>
    /// Seeds per estimator to resolve the gap to the nearest other mean at 80 % power, both spreads as observed. The
    /// level is alpha over the number of tested pairs, the level Holm's procedure demands of its first rejection,
    /// so the answer holds however the other pairs turn out.
    /// </summary>
    private static int? SeedsToNearest(int i, IEnumerable<int> others, List<(string Estimator, SeedSummary Score)> ranked, double alphaPerPair)
    {
        var own = ranked[i].Score;
        if (!own.AllFinite || own.StandardDeviation is null) return null;
        var nearest = others
            .Select(j => ranked[j].Score)
            .Where(other => other.AllFinite && other.StandardDeviation is not null)
            .MinBy(other => Math.Abs(other.Mean!.Value - own.Mean!.Value));
        return nearest is null
            ? null
            : SeedsToResolve.Estimate(own.StandardDeviation, nearest.StandardDeviation, nearest.Mean!.Value - own.Mean!.Value, alphaPerPair, Power);
    }

    /// <summary>A diverged seed ranks like +infinity: after every estimator whose seeds all gave a number.</summary>
    private static double RankKey(SeedSummary score) => score.Diverged > 0 ? double.PositiveInfinity : score.Mean!.Value;

    /// <summary>Index of pair (i, j), i &lt; j, in the row-major order the pairs are built in.</summary>
    private static int PairIndex(int i, int j, int n) => i * n - i * (i + 1) / 2 + (j - i - 1);
}

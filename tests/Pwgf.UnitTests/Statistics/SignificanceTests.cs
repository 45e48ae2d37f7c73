using Pwgf.Statistics;

namespace Pwgf.UnitTests.Statistics;

/// <summary>
/// Welch's test, Holm's adjustment, seeds to resolve a gap and rank groups. Reference numbers come from SciPy
/// (references.py beside this file, run by hand; its printout is quoted in each test) or are worked by hand.
/// </summary>
public sealed class SignificanceTests
{
    [Fact]
    public void Welch_matches_scipy_ttest_ind_with_unequal_variances()
    {
        // scipy.stats.ttest_ind(a, b, equal_var=False): t = -3.1051796193179264, p = 0.01984847877275101,
        // Welch-Satterthwaite df = 6.260428094582292.
        var result = WelchTest.Compare(SeedSummary.Of([2.1, 2.5, 1.9, 2.8, 2.2]), SeedSummary.Of([2.9, 3.1, 2.7, 3.6]))!;

        Assert.Equal(-3.1051796193179264, result.Statistic, 1e-12);
        Assert.Equal(0.01984847877275101, result.PValue, 1e-12);
        Assert.Equal(6.260428094582292, result.DegreesOfFreedom, 1e-10);
        Assert.Equal(2.3 - 3.075, result.MeanDifference, 1e-12);
        Assert.Equal(result.MeanDifference / result.Statistic, result.StandardError, 1e-12);

        // welch2: t = -0.502331014967354, p = 0.6597159155060022.
        var close = WelchTest.Compare(SeedSummary.Of([10.0, 10.5, 9.5]), SeedSummary.Of([10.2, 10.1, 10.3, 9.9, 10.0, 10.4]))!;
        Assert.Equal(-0.502331014967354, close.Statistic, 1e-12);
        Assert.Equal(0.6597159155060022, close.PValue, 1e-12);
    }

    [Fact]
    public void Welch_keeps_the_digits_of_a_p_value_far_in_the_tail()
    {
        // welch3: t = -2000.000000000131, p = 4.374968500142017e-24, where 1 - CDF would round to 0.
        var result = WelchTest.Compare(SeedSummary.Of([1.0, 1.001, 0.999, 1.0005, 0.9995]), SeedSummary.Of([2.0, 2.001, 1.999, 2.0005, 1.9995]))!;

        Assert.Equal(4.374968500142017e-24, result.PValue, 4.374968500142017e-24 * 1e-6);
    }

    [Fact]
    public void Welch_needs_two_finite_values_on_each_side_and_treats_no_spread_as_certainty()
    {
        Assert.Null(WelchTest.Compare(SeedSummary.Of([1.0]), SeedSummary.Of([2.0, 3.0])));
        Assert.Null(WelchTest.Compare(SeedSummary.Of([1.0, 2.0, double.NaN]), SeedSummary.Of([2.0, 3.0])));

        Assert.Equal(0, WelchTest.Compare(SeedSummary.Of([1.0, 1.0]), SeedSummary.Of([2.0, 2.0]))!.PValue);
        Assert.Equal(1, WelchTest.Compare(SeedSummary.Of([1.0, 1.0]), SeedSummary.Of([1.0, 1.0]))!.PValue);
    }

    [Fact]
    public void Holm_multiplies_the_kth_smallest_p_by_m_minus_k_plus_1_and_keeps_the_order()
    {
        // Sorted: 0.005 x 4 = 0.02; 0.01 x 3 = 0.03; 0.03 x 2 = 0.06; 0.04 x 1 = 0.04, raised to the running maximum 0.06.
        var adjusted = Holm.Adjust([0.01, 0.04, 0.03, 0.005]);

        Assert.Equal([0.03, 0.06, 0.06, 0.02], adjusted.Select(p => Math.Round(p, 12)));
        Assert.Equal([1.0, 1.0], Holm.Adjust([0.6, 0.9]));   // 0.6 x 2 capped at 1; the maximum carries on
        Assert.Empty(Holm.Adjust([]));
    }

    [Theory]
    // From references.py: the smallest n >= 2 meeting the formula, with SciPy's t quantiles. Textbook check: one
    // standard deviation apart, alpha 0.05, 80 % power needs 17 per group (power by the noncentral t: 0.807).
    [InlineData(1.0, 1.0, 1.0, 0.05, 17)]
    [InlineData(0.3, 0.1, 0.2, 0.05, 22)]          // noncentral-t power at n: 0.814
    [InlineData(2.0, 0.5, 0.4, 0.05 / 3, 281)]     // power 0.801
    [InlineData(0.01, 0.02, 0.5, 0.05, 2)]         // resolved with the fewest seeds a test allows
    public void Seeds_to_resolve_match_the_documented_formula(double s1, double s2, double gap, double alpha, int expected)
    {
        Assert.Equal(expected, SeedsToResolve.Estimate(s1, s2, gap, alpha, 0.8));
        Assert.Equal(expected, SeedsToResolve.Estimate(s2, s1, -gap, alpha, 0.8));
    }

    [Fact]
    public void No_number_of_seeds_resolves_a_zero_gap_or_an_unknown_spread()
    {
        Assert.Null(SeedsToResolve.Estimate(1, 1, 0, 0.05, 0.8));
        Assert.Null(SeedsToResolve.Estimate(null, 1, 1, 0.05, 0.8));
        Assert.Equal(2, SeedsToResolve.Estimate(0, 0, 1, 0.05, 0.8));
    }

    [Fact]
    public void Rank_groups_span_every_rank_the_significant_differences_allow()
    {
        // a and c are far apart with little spread; b sits between them with a wide spread, so it is resolved from
        // neither, while a and c are resolved from each other.
        var comparison = Pairwise.Compare(
        [
            ("a", SeedSummary.Of([1.00, 1.01, 0.99, 1.00])),
            ("b", SeedSummary.Of([0.5, 2.5, 1.0, 2.0])),
            ("c", SeedSummary.Of([2.00, 2.01, 1.99, 2.00])),
            ("none", SeedSummary.Of([])),                   // no succeeded run: no rank, no pairs
        ]);

        Assert.Equal([("a", "b"), ("a", "c"), ("b", "c")], comparison.Pairs.Select(p => (p.Estimator, p.Versus)));
        var ac = comparison.Pairs[1];
        Assert.True(ac.Significant);
        Assert.Equal(-1.0, ac.MeanDifference!.Value, 1e-12);
        Assert.False(comparison.Pairs[0].Significant);
        Assert.False(comparison.Pairs[2].Significant);
        // Holm over three tests: each adjusted p is at least its raw p, and the smallest is multiplied by 3.
        Assert.All(comparison.Pairs, p => Assert.True(p.PValueAdjusted >= p.PValue));
        Assert.Equal(Math.Min(1, 3 * ac.PValue!.Value), ac.PValueAdjusted!.Value, 1e-12);

        var standing = comparison.Standings.ToDictionary(s => s.Estimator);
        Assert.Equal((1, "1-2"), (standing["a"].Rank, standing["a"].RankGroup));
        Assert.Equal((2, "1-3"), (standing["b"].Rank, standing["b"].RankGroup));
        Assert.Equal((3, "2-3"), (standing["c"].Rank, standing["c"].RankGroup));
        Assert.Equal(["b"], standing["a"].IndistinguishableFrom);
        Assert.Equal(["a", "c"], standing["b"].IndistinguishableFrom);
        Assert.Equal((null, null, 0), (standing["none"].Rank, standing["none"].RankGroup, standing["none"].IndistinguishableFrom.Count));
        Assert.False(standing["a"].Resolved);
    }

    [Fact]
    public void Clearly_separated_estimators_get_single_ranks_and_ties_share_a_group()
    {
        var comparison = Pairwise.Compare(
        [
            ("slow", SeedSummary.Of([3.0, 3.1, 2.9])),
            ("fast", SeedSummary.Of([1.0, 1.1, 0.9])),
            ("twin", SeedSummary.Of([1.0, 1.1, 0.9])),   // the same update under another name
        ]);

        var standing = comparison.Standings.ToDictionary(s => s.Estimator);
        Assert.Equal((3, "3"), (standing["slow"].Rank, standing["slow"].RankGroup));
        Assert.True(standing["slow"].Resolved);
        Assert.Equal((1, "1-2"), (standing["fast"].Rank, standing["fast"].RankGroup));
        Assert.Equal((1, "1-2"), (standing["twin"].Rank, standing["twin"].RankGroup));
        Assert.Equal(1.0, comparison.Pairs.Single(p => p.Estimator == "fast" && p.Versus == "twin").PValue);
        // The twins' gap is 0, so no number of seeds resolves it; slow's nearest neighbour is 2 away.
        Assert.Null(standing["fast"].SeedsToResolve);
        Assert.Equal(SeedsToResolve.Estimate(0.1, 0.1, 2.0, 0.05 / 3, 0.8), standing["slow"].SeedsToResolve);
    }

    [Fact]
    public void Names_of_one_estimator_share_a_standing_count_once_and_their_pair_is_not_tested()
    {
        // The twins of the test above, now declared one estimator (group 1): slow is resolved second of two.
        var comparison = Pairwise.Compare(
        [
            ("slow", SeedSummary.Of([3.0, 3.1, 2.9])),
            ("fast", SeedSummary.Of([1.0, 1.1, 0.9])),
            ("twin", SeedSummary.Of([1.0, 1.1, 0.9])),
        ], groups: [0, 1, 1]);

        var twins = comparison.Pairs.Single(p => p.Estimator == "fast" && p.Versus == "twin");
        Assert.Equal((true, (double?)null, (double?)null, false), (twins.SameEstimator, twins.PValue, twins.PValueAdjusted, twins.Significant));
        Assert.Equal(0.0, twins.MeanDifference);
        // Holm over the two tested pairs only; with equal raw p-values both become 2p.
        var tested = comparison.Pairs.Where(p => !p.SameEstimator).ToList();
        Assert.Equal(2, tested.Count);
        Assert.All(tested, p => Assert.Equal(Math.Min(1, 2 * p.PValue!.Value), p.PValueAdjusted!.Value, 1e-12));
        Assert.All(tested, p => Assert.True(p.Significant));

        var standing = comparison.Standings.ToDictionary(s => s.Estimator);
        Assert.Equal((1, "1"), (standing["fast"].Rank, standing["fast"].RankGroup));
        Assert.Equal((1, "1"), (standing["twin"].Rank, standing["twin"].RankGroup));
        Assert.Equal((2, "2"), (standing["slow"].Rank, standing["slow"].RankGroup));
        Assert.Equal(["twin"], standing["fast"].IndistinguishableFrom);
        Assert.Empty(standing["slow"].IndistinguishableFrom);
        // The nearest other estimator is 2 away for each of them; 0.05 over the two tested pairs.
        Assert.Equal(SeedsToResolve.Estimate(0.1, 0.1, 2.0, 0.05 / 2, 0.8), standing["fast"].SeedsToResolve);
        Assert.Equal(standing["fast"].SeedsToResolve, standing["twin"].SeedsToResolve);
    }

    [Fact]
    public void One_estimator_under_two_names_stands_where_its_first_scored_name_does()
    {
        // The second name drifted (a machine that is not bit-for-bit reproducible), past another estimator: it still
        // takes the first name's standing rather than a rank of its own. A first name without any score hands over.
        var comparison = Pairwise.Compare(
        [
            ("first", SeedSummary.Of([1.0, 1.1, 0.9])),
            ("other", SeedSummary.Of([2.0, 2.1, 1.9])),
            ("second", SeedSummary.Of([2.5, 2.6, 2.4])),
            ("failed", SeedSummary.Of([])),
            ("heir", SeedSummary.Of([4.0, 4.1, 3.9])),
        ], groups: [0, 1, 0, 3, 3]);

        var standing = comparison.Standings.ToDictionary(s => s.Estimator);
        Assert.Equal((1, "1"), (standing["first"].Rank, standing["first"].RankGroup));
        Assert.Equal((1, "1"), (standing["second"].Rank, standing["second"].RankGroup));
        Assert.Equal((2, "2"), (standing["other"].Rank, standing["other"].RankGroup));
        Assert.Equal((3, "3"), (standing["heir"].Rank, standing["heir"].RankGroup));
        Assert.Null(standing["failed"].Rank);
        Assert.Equal(["second"], standing["first"].IndistinguishableFrom);
        Assert.True(comparison.Pairs.Single(p => p.Estimator == "first" && p.Versus == "second").SameEstimator);
    }

    [Fact]
    public void A_diverged_seed_ranks_last_and_decides_its_pairs_without_a_test()
    {
        var comparison = Pairwise.Compare(
        [
            ("diverged", SeedSummary.Of([0.1, double.NaN, 0.2])),   // its finite seeds are the best numbers here
            ("steady", SeedSummary.Of([1.0, 1.2, 1.1])),
            ("single", SeedSummary.Of([0.9])),                      // one seed: no spread, nothing can be tested
        ]);

        var standing = comparison.Standings.ToDictionary(s => s.Estimator);
        Assert.Equal((3, "3"), (standing["diverged"].Rank, standing["diverged"].RankGroup));
        var pair = comparison.Pairs.Single(p => p.Versus == "steady");
        Assert.Equal((null, null, null, true), (pair.MeanDifference, pair.PValue, pair.PValueAdjusted, pair.Significant));
        Assert.Equal((1, "1-2"), (standing["single"].Rank, standing["single"].RankGroup));
        Assert.Equal((2, "1-2"), (standing["steady"].Rank, standing["steady"].RankGroup));
        Assert.Equal(["single"], standing["steady"].IndistinguishableFrom);
        Assert.Null(standing["single"].SeedsToResolve);
        Assert.Null(standing["steady"].SeedsToResolve);   // its only neighbour has no spread to go by
    }
}

using Pwgf.Api.Series;

namespace Pwgf.UnitTests.Series;

/// <summary>The maxPoints thinning, on series built by hand.</summary>
public sealed class SeriesThinningTests
{
    private static List<MetricPointDto> Series(params int[] steps) => [.. steps.Select(s => new MetricPointDto(s, s * 0.5))];

    private static List<MetricPointDto> Regular(int count, int every = 1) => Series([.. Enumerable.Range(0, count).Select(i => i * every)]);

    [Fact]
    public void A_series_within_the_limit_or_without_one_is_returned_as_it_is()
    {
        var series = Regular(10);
        Assert.Same(series, SeriesThinning.Thin(series, 10));
        Assert.Same(series, SeriesThinning.Thin(series, null));
        Assert.Empty(SeriesThinning.Thin([], 2));
    }

    [Fact]
    public void Targets_evenly_spaced_over_the_steps_pick_the_nearest_points()
    {
        // 0..100: targets 0, 25, 50, 75, 100 are all stored steps.
        Assert.Equal([0, 25, 50, 75, 100], SeriesThinning.Thin(Regular(101), 5).Select(p => p.Step));
        // Ties between two neighbours go to the earlier step: targets 0, 12.5, 25 over 0..25.
        Assert.Equal([0, 12, 25], SeriesThinning.Thin(Regular(26), 3).Select(p => p.Step));
    }

    [Fact]
    public void Irregular_steps_keep_first_and_last_and_never_exceed_the_limit()
    {
        // Dense at the start, sparse later: spread over steps, not over indices.
        var series = Series([.. Enumerable.Range(0, 50), 100, 200, 300, 400, 500]);
        var thinned = SeriesThinning.Thin(series, 6);
        Assert.Equal([0, 100, 200, 300, 400, 500], thinned.Select(p => p.Step));

        foreach (int limit in new[] { 2, 3, 7, 11, 54 })
        {
            var kept = SeriesThinning.Thin(series, limit);
            Assert.InRange(kept.Count, 2, limit);
            Assert.Equal((0, 500), (kept[0].Step, kept[^1].Step));
            Assert.Equal(kept.Select(p => p.Step).Distinct().Order(), kept.Select(p => p.Step));
            Assert.Subset(series.ToHashSet(), kept.ToHashSet());
        }
    }

    [Fact]
    public void Runs_thinned_together_keep_the_same_steps_even_when_one_is_behind()
    {
        var ahead = Regular(1001, every: 10);   // steps 0..10000
        var behind = Regular(401, every: 10);   // steps 0..4000, still training
        var fresh = Series();                   // no points yet

        var thinned = SeriesThinning.ThinTogether([ahead, behind, fresh], 101);

        Assert.Equal(Enumerable.Range(0, 101).Select(i => i * 100), thinned[0].Select(p => p.Step));
        Assert.Equal(Enumerable.Range(0, 41).Select(i => i * 100), thinned[1].Select(p => p.Step));
        Assert.Empty(thinned[2]);
    }

    [Fact]
    public void Runs_are_left_alone_while_none_exceeds_the_limit()
    {
        var series = new List<IReadOnlyList<MetricPointDto>> { Regular(5), Regular(3) };
        Assert.Same(series, SeriesThinning.ThinTogether(series, 5));
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData(2, true)]
    [InlineData(10_000, true)]
    [InlineData(1, false)]
    [InlineData(10_001, false)]
    public void maxPoints_must_be_between_2_and_10000(int? maxPoints, bool valid) =>
        Assert.Equal(valid, SeriesThinning.Check(maxPoints) is null);
}

namespace Pwgf.Api.Series;

public static class SeriesRegistration
{
    /// <summary>The thinned-series cache that the series endpoints share.</summary>
    public static WebApplicationBuilder AddSeries(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ThinnedSeriesCache>();
        return builder;
    }
}

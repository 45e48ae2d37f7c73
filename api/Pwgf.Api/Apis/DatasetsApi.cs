using Microsoft.AspNetCore.Http.HttpResults;
using Pwgf.Training.Data;

namespace Pwgf.Api.Apis;

public static class DatasetsApi
{
    public static RouteGroupBuilder MapDatasetsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/datasets", List)
            .WithTags("Catalogue")
            .WithName("ListDatasets")
            .WithSummary("The image datasets, whether this machine has them (and how to install them if not), and their train / validation / test sizes.");
        return api;
    }

    public static Ok<IReadOnlyList<DatasetDescription>> List(DatasetCatalog catalog) => TypedResults.Ok(catalog.Describe());
}

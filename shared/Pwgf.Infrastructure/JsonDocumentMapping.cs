using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Pwgf.Infrastructure;

/// <summary>
/// Maps a document of the training library (a specification, a configuration, a manifest) to a jsonb column as its
/// <see cref="RunJson"/> text, so entities carry the typed record and no handler parses strings.
/// <para>
/// Why a value converter rather than EF's JSON complex types (<c>ComplexProperty(...).ToJson()</c>): the documents
/// hold dictionaries (task options, estimator parameters), which EF's JSON mapping does not support (dotnet/efcore
/// issue 26903), and complex types would write PascalCase names unless every property were renamed by hand, while
/// the rows already stored use the web (camelCase) names. The converter writes exactly what was written before.
/// </para>
/// </summary>
internal static class JsonDocumentMapping
{
    public static PropertyBuilder<T> IsJsonDocument<T>(this PropertyBuilder<T> property) where T : class? =>
        property
            .HasColumnType("jsonb")
            .HasConversion(
                value => RunJson.Serialize(value),
                json => RunJson.Deserialize<T>(json),
                // The records hold dictionaries, whose equality is by reference: compare what would be stored.
                new ValueComparer<T>(
                    (a, b) => a == null ? b == null : b != null && RunJson.Serialize(a) == RunJson.Serialize(b),
                    value => RunJson.Serialize(value).GetHashCode(StringComparison.Ordinal),
                    value => value));
}

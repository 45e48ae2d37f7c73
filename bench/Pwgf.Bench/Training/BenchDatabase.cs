using Microsoft.EntityFrameworkCore;
using Pwgf.Infrastructure;

namespace Pwgf.Bench.Training;

/// <summary>The stack's database, opened the way the service opens it (snake_case names), for the benches that write to it.</summary>
internal static class BenchDatabase
{
    public static PwgfDbContext Open(string connectionString) =>
        new(new DbContextOptionsBuilder<PwgfDbContext>().UseNpgsql(connectionString).UseSnakeCaseNamingConvention().Options);
}

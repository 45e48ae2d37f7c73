using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Pwgf.Infrastructure;

namespace Pwgf.Migrations;

/// <summary>Lets `dotnet ef migrations add` build the model without a running database.</summary>
public sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<PwgfDbContext>
{
    public PwgfDbContext CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<PwgfDbContext>()
        .UseNpgsql("Host=localhost;Database=pwgf", npgsql => npgsql.MigrationsAssembly("Pwgf.Migrations").MigrationsHistoryTable("__ef_migrations", "pwgf"))
        .UseSnakeCaseNamingConvention()
        .Options);
}

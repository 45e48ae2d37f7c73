using Microsoft.EntityFrameworkCore;
using Pwgf.Infrastructure.Entities;

namespace Pwgf.Infrastructure;

public sealed class PwgfDbContext(DbContextOptions<PwgfDbContext> options) : DbContext(options)
{
    public DbSet<Comparison> Comparisons => Set<Comparison>();
    public DbSet<Run> Runs => Set<Run>();
    public DbSet<MetricRow> Metrics => Set<MetricRow>();
    public DbSet<Checkpoint> Checkpoints => Set<Checkpoint>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    protected override void OnModelCreating(ModelBuilder model)
    {
        model.HasDefaultSchema("pwgf");

        model.Entity<Comparison>(comparison =>
        {
            comparison.Property(c => c.Task).HasMaxLength(64);
            comparison.Property(c => c.Specification).IsJsonDocument();
            comparison.HasIndex(c => c.CreatedAt);
            comparison.Property(c => c.RequestHash).HasMaxLength(64);
            comparison.Property(c => c.IdempotencyKey).HasMaxLength(200);
            // Per key: two clients may pick the same Idempotency-Key without meeting each other's comparison.
            comparison.HasIndex(c => new { c.CreatedByKey, c.IdempotencyKey }).IsUnique();
            comparison.HasOne<ApiKey>().WithMany().HasForeignKey(c => c.CreatedByKey).OnDelete(DeleteBehavior.Restrict);
            comparison.HasMany(c => c.Runs).WithOne().HasForeignKey(r => r.ComparisonId).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<Run>(run =>
        {
            run.Property(r => r.Estimator).HasMaxLength(64);
            run.Property(r => r.Configuration).IsJsonDocument();
            run.Property(r => r.Manifest).IsJsonDocument();
            run.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
            run.Property(r => r.Device).HasMaxLength(16);
            run.Property(r => r.JobId).HasMaxLength(64);
            run.Property(r => r.Version).IsRowVersion();
            run.Property(r => r.ConfigHash).HasMaxLength(64);
            run.HasIndex(r => new { r.ComparisonId, r.Status });
        });

        model.Entity<ApiKey>(key =>
        {
            key.Property(k => k.Name).HasMaxLength(100);
            key.Property(k => k.Hash).HasMaxLength(64);
            key.HasIndex(k => k.Hash).IsUnique();
        });

        model.Entity<Checkpoint>(checkpoint =>
        {
            checkpoint.HasKey(c => c.RunId);
            checkpoint.HasOne<Run>().WithOne().HasForeignKey<Checkpoint>(c => c.RunId).OnDelete(DeleteBehavior.Cascade);
        });

        model.Entity<MetricRow>(metric =>
        {
            metric.ToTable("metrics");
            metric.HasKey(m => new { m.RunId, m.Name, m.Step });
            metric.Property(m => m.Name).HasMaxLength(64);
            metric.HasOne<Run>().WithMany().HasForeignKey(m => m.RunId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}

using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Pwgf.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class ComparisonOwner : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_comparisons_idempotency_key",
                schema: "pwgf",
                table: "comparisons");

            migrationBuilder.AddColumn<Guid>(
                name: "created_by_key",
                schema: "pwgf",
                table: "comparisons",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_comparisons_created_by_key_idempotency_key",
                schema: "pwgf",
                table: "comparisons",
                columns: new[] { "created_by_key", "idempotency_key" },
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "fk_comparisons_api_keys_created_by_key",
                schema: "pwgf",
                table: "comparisons",
                column: "created_by_key",
                principalSchema: "pwgf",
                principalTable: "api_keys",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_comparisons_api_keys_created_by_key",
                schema: "pwgf",
                table: "comparisons");

            migrationBuilder.DropIndex(
                name: "ix_comparisons_created_by_key_idempotency_key",
                schema: "pwgf",
                table: "comparisons");

            migrationBuilder.DropColumn(
                name: "created_by_key",
                schema: "pwgf",
                table: "comparisons");

            migrationBuilder.CreateIndex(
                name: "ix_comparisons_idempotency_key",
                schema: "pwgf",
                table: "comparisons",
                column: "idempotency_key",
                unique: true);
        }
    }
}

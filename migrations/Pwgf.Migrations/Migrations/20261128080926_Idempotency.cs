using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Pwgf.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class Idempotency : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "config_hash",
                schema: "pwgf",
                table: "runs",
                type: "character varying(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "idempotency_key",
                schema: "pwgf",
                table: "comparisons",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "request_hash",
                schema: "pwgf",
                table: "comparisons",
                type: "character varying(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateIndex(
                name: "ix_comparisons_idempotency_key",
                schema: "pwgf",
                table: "comparisons",
                column: "idempotency_key",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_comparisons_idempotency_key",
                schema: "pwgf",
                table: "comparisons");

            migrationBuilder.DropColumn(
                name: "config_hash",
                schema: "pwgf",
                table: "runs");

            migrationBuilder.DropColumn(
                name: "idempotency_key",
                schema: "pwgf",
                table: "comparisons");

            migrationBuilder.DropColumn(
                name: "request_hash",
                schema: "pwgf",
                table: "comparisons");
        }
    }
}

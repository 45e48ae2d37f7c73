using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Pwgf.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class RunLifecycle : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "attempts",
                schema: "pwgf",
                table: "runs",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "cancel_requested_at",
                schema: "pwgf",
                table: "runs",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "heartbeat_at",
                schema: "pwgf",
                table: "runs",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "lease_owner",
                schema: "pwgf",
                table: "runs",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<uint>(
                name: "xmin",
                schema: "pwgf",
                table: "runs",
                type: "xid",
                rowVersion: true,
                nullable: false,
                defaultValue: 0u);

            migrationBuilder.CreateTable(
                name: "checkpoints",
                schema: "pwgf",
                columns: table => new
                {
                    run_id = table.Column<Guid>(type: "uuid", nullable: false),
                    step = table.Column<int>(type: "integer", nullable: false),
                    state = table.Column<byte[]>(type: "bytea", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_checkpoints", x => x.run_id);
                    table.ForeignKey(
                        name: "fk_checkpoints_runs_run_id",
                        column: x => x.run_id,
                        principalSchema: "pwgf",
                        principalTable: "runs",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "checkpoints",
                schema: "pwgf");

            migrationBuilder.DropColumn(
                name: "attempts",
                schema: "pwgf",
                table: "runs");

            migrationBuilder.DropColumn(
                name: "cancel_requested_at",
                schema: "pwgf",
                table: "runs");

            migrationBuilder.DropColumn(
                name: "heartbeat_at",
                schema: "pwgf",
                table: "runs");

            migrationBuilder.DropColumn(
                name: "lease_owner",
                schema: "pwgf",
                table: "runs");

            migrationBuilder.DropColumn(
                name: "xmin",
                schema: "pwgf",
                table: "runs");
        }
    }
}

using System.Diagnostics;
using System.Text.Json;
using Pwgf.IntegrationTests.Support;

namespace Pwgf.IntegrationTests.Service;

/// <summary>
/// The served OpenAPI document is one a client can generate from: Redocly's recommended rules and Spectral's
/// spectral:oas ruleset report no error, and the TypeScript types openapi-typescript generates from it compile
/// against tests/OpenApiLint/client-check.ts (required fields required and not nullable, logits a vector or a
/// matrix). The tools are pinned in tests/OpenApiLint and installed by the build.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class OpenApiLintTests(ServiceFixture service) : IDisposable
{
    private static readonly string Tools = Path.Combine(Repository.Root, "tests", "OpenApiLint");
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromMinutes(3);

    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("pwgf-openapi-");

    [Fact]
    public async Task Redocly_with_its_recommended_rules_finds_no_error()
    {
        string document = await SaveDocumentAsync();

        var (exit, output, errors) = await RunAsync("redocly", "lint", document, "--config", Path.Combine(Tools, "redocly.yaml"), "--format=json");

        using var report = JsonDocument.Parse(output);
        var problems = report.RootElement.GetProperty("problems").EnumerateArray()
            .Where(p => p.GetProperty("severity").GetString() == "error")
            .Select(p => $"{p.GetProperty("ruleId").GetString()}: {p.GetProperty("message").GetString()}")
            .ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.Equal(0, report.RootElement.GetProperty("totals").GetProperty("errors").GetInt32());
        Assert.True(exit == 0, errors);
    }

    [Fact]
    public async Task Spectral_with_the_oas_ruleset_finds_no_error()
    {
        string document = await SaveDocumentAsync();

        var (exit, output, errors) = await RunAsync("spectral", "lint", document, "--ruleset", Path.Combine(Tools, ".spectral.yaml"),
            "--format=json", "--fail-severity=error");

        // Spectral's severities: 0 error, 1 warning, 2 information, 3 hint.
        using var report = JsonDocument.Parse(output);
        var problems = report.RootElement.EnumerateArray()
            .Where(p => p.GetProperty("severity").GetInt32() == 0)
            .Select(p => $"{p.GetProperty("code").GetString()} at {string.Join(".", p.GetProperty("path").EnumerateArray())}: {p.GetProperty("message").GetString()}")
            .ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.True(exit == 0, errors);
    }

    [Fact]
    public async Task A_generated_typescript_client_types_required_fields_and_logits()
    {
        string document = await SaveDocumentAsync();
        string types = Path.Combine(_work.FullName, "pwgf-api.d.ts");
        string check = Path.Combine(_work.FullName, "client-check.ts");
        File.Copy(Path.Combine(Tools, "client-check.ts"), check);

        var generated = await RunAsync("openapi-typescript", document, "--output", types);
        Assert.True(generated.Exit == 0, generated.Output + generated.Errors);
        var compiled = await RunAsync("tsc", "--noEmit", "--strict", "--target", "es2022", "--module", "esnext",
            "--moduleResolution", "bundler", check);

        Assert.True(compiled.Exit == 0, $"{compiled.Output}{compiled.Errors}\n--- generated ---\n{await File.ReadAllTextAsync(types)}");
    }

    public void Dispose() => _work.Delete(recursive: true);

    private async Task<string> SaveDocumentAsync()
    {
        string path = Path.Combine(_work.FullName, "openapi.json");
        await File.WriteAllTextAsync(path, await service.Anonymous.GetStringAsync("/swagger/v1/swagger.json"));
        return path;
    }

    /// <summary>Runs a tool of tests/OpenApiLint/node_modules/.bin with node; returns its exit code, stdout and stderr.</summary>
    private static async Task<(int Exit, string Output, string Errors)> RunAsync(string tool, params string[] arguments)
    {
        string script = Path.Combine(Tools, "node_modules", ".bin", tool);
        Assert.True(File.Exists(script), $"{script} is missing: the integration tests' build installs it with npm ci (tests/OpenApiLint).");
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Tools };
        start.ArgumentList.Add(script);
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        // Nothing leaves the machine: no usage telemetry, no update check.
        start.Environment["REDOCLY_TELEMETRY"] = "off";
        start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
        start.Environment["NO_COLOR"] = "1";

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(ToolTimeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{tool} did not finish within {ToolTimeout}.");
        }
        return (process.ExitCode, await output, await errors);
    }
}

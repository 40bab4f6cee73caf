using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Text;
using Higress.Core.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Higress.Core.Tests.Plugins.Opa;

/// <summary>Directory and bundle sources: loaded off the request path, swapped whole, and a bad change keeps the old policy.</summary>
public sealed class OpaPolicySourceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("opa-source-").FullName;
    private readonly OpaTestKit _kit = new();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Policy(string answer) => $"package authz\n\nimport rego.v1\n\nallow := data.answers[input.request.method] == \"{answer}\"\n";

    /// <summary>Polls <paramref name="condition"/> (bounded: 10 s, 100 tries).</summary>
    private static async Task<bool> EventuallyAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 100; i++)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }

    private static void WriteAtomically(string path, string text)
    {
        var temp = path + ".tmp";
        File.WriteAllText(temp, text);
        File.Move(temp, path, overwrite: true);
    }

    [Fact]
    public async Task A_directory_change_swaps_the_policy_and_a_broken_one_is_reported_while_the_previous_keeps_deciding()
    {
        WriteAtomically(Path.Combine(_dir, "authz.rego"), Policy("yes"));
        WriteAtomically(Path.Combine(_dir, "data.json"), """{"answers": {"GET": "yes"}}""");
        var config = _kit.Config($$"""{"policy": "authz/allow", "directory": {{System.Text.Json.JsonSerializer.Serialize(_dir)}}}""");
        using var state = _kit.Plugin.CreateState(config);
        Assert.Equal(0, (await _kit.SendAsync(config, state)).Result.StatusCode);

        // A syntax error: logged and reported with file:line:col; the first policy keeps deciding.
        WriteAtomically(Path.Combine(_dir, "authz.rego"), "package authz\n\nallow if {\n");
        Assert.True(await EventuallyAsync(() => Task.FromResult(_kit.Reports.Current.Count == 1)));
        var report = Assert.Single(_kit.Reports.Current);
        Assert.Equal("test", report.Object);
        Assert.Equal("spec.config.directory", report.FieldPath);
        Assert.Matches(@"authz\.rego:\d+:\d+", report.Message);
        Assert.Contains(_kit.Logger.Events, e => e.Id.Id == EventIds.OpaPolicyLoadFailed && e.Level == LogLevel.Error);
        Assert.Equal(0, (await _kit.SendAsync(config, state)).Result.StatusCode);

        // A good change replaces it, and the report is cleared.
        WriteAtomically(Path.Combine(_dir, "authz.rego"), Policy("no"));
        Assert.True(await EventuallyAsync(async () => (await _kit.SendAsync(config, state)).Result.StatusCode == 403));
        Assert.Empty(_kit.Reports.Current);
    }

    [Fact]
    public async Task A_bundle_file_is_loaded_and_a_missing_one_fails_decisions_per_fail_strategy()
    {
        var bundle = Path.Combine(_dir, "bundle.tar.gz");
        File.WriteAllBytes(bundle, Bundle(Policy("yes"), """{"answers": {"GET": "yes"}}"""));
        var config = _kit.Config($$"""{"policy": "authz/allow", "bundle": {{System.Text.Json.JsonSerializer.Serialize(bundle)}}}""");
        using (var state = _kit.Plugin.CreateState(config))
        {
            Assert.Equal(0, (await _kit.SendAsync(config, state)).Result.StatusCode);
        }

        var missing = _kit.Config($$"""{"policy": "authz/allow", "bundle": {{System.Text.Json.JsonSerializer.Serialize(Path.Combine(_dir, "none.tar.gz"))}}, "status_on_error": 503}""");
        using var missingState = _kit.Plugin.CreateState(missing);
        Assert.Equal(503, (await _kit.SendAsync(missing, missingState)).Result.StatusCode);
    }

    [Fact]
    public async Task A_bundle_URL_is_polled_with_ETag_and_a_new_bundle_swaps_the_policy()
    {
        var served = Bundle(Policy("yes"), """{"answers": {"GET": "yes"}}""");
        var etag = "\"v1\"";
        var notModified = 0;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        await using var app = builder.Build();
        app.Run(async context =>
        {
            if (context.Request.Headers.IfNoneMatch == etag)
            {
                Interlocked.Increment(ref notModified);
                context.Response.StatusCode = 304;
                return;
            }

            context.Response.Headers.ETag = etag;
            await context.Response.Body.WriteAsync(served);
        });
        await app.StartAsync();
        var url = app.Urls.Single() + "/bundles/authz.tar.gz";

        var config = _kit.Config($$"""{"policy": "authz/allow", "bundle": "{{url}}", "bundle_polling_interval": "100ms"}""");
        using var state = _kit.Plugin.CreateState(config);
        Assert.True(await EventuallyAsync(async () => (await _kit.SendAsync(config, state)).Result.StatusCode == 0));
        Assert.True(await EventuallyAsync(() => Task.FromResult(Volatile.Read(ref notModified) > 0)));

        served = Bundle(Policy("no"), """{"answers": {"GET": "yes"}}""");
        etag = "\"v2\"";
        Assert.True(await EventuallyAsync(async () => (await _kit.SendAsync(config, state)).Result.StatusCode == 403));
        await app.StopAsync();
    }

    /// <summary>An OPA bundle (.tar.gz) with one module and a data.json.</summary>
    internal static byte[] Bundle(string rego, string dataJson)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip))
        {
            foreach (var (name, text) in new[] { ("/authz/policy.rego", rego), ("/data.json", dataJson) })
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)) });
            }
        }

        return output.ToArray();
    }
}

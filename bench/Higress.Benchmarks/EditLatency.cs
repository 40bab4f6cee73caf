using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Higress.Benchmarks;

/// <summary>
/// How long a one-file edit in a large configuration directory takes to reach traffic: a real host reads a directory
/// of <c>files</c> files holding <c>routes</c> routes in all; each round rewrites one file (atomically, as a
/// deployment tool does) so that one of its routes answers a new version, and times until a request through the
/// listener sees it. Prints every round and the median and p95.
/// </summary>
internal static class EditLatency
{
    public static async Task<int> RunAsync(int routes, int files, int edits)
    {
        var dir = Directory.CreateTempSubdirectory("higress-edit-latency-").FullName;
        var port = FreePort();
        var perFile = Math.Max(1, routes / files);
        await File.WriteAllTextAsync(Path.Combine(dir, "00-gateway.yaml"), $"apiVersion: networking.higress.io/v1alpha1\nkind: Gateway\nmetadata: {{name: gw}}\nspec:\n  listeners: [{{protocol: HTTP, port: {port}}}]\n");
        for (var f = 0; f < files; f++)
        {
            await File.WriteAllTextAsync(Path.Combine(dir, FileName(f)), FileYaml(f, perFile, 0));
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [$"--Higress:ConfigDir={dir}", "--Higress:BindAddress=127.0.0.1", $"--Higress:Admin:Port={FreePort()}"],
        });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{FreePort()}");
        builder.Services.AddHigress(builder.Configuration.GetSection("Higress"));
        await using var app = builder.Build();
        app.MapHigress();
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        var probe = $"/r{files / 2}-{perFile / 2}";
        var clock = Stopwatch.StartNew();
        while (await BodyAsync(client, probe) != Expected(files / 2, perFile / 2, 0))
        {
            if (clock.Elapsed > TimeSpan.FromMinutes(5))
            {
                Console.Error.WriteLine("the initial configuration was not served within 5 minutes");
                return 1;
            }

            await Task.Delay(100);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{routes} routes in {files} files served after {clock.Elapsed.TotalSeconds:F1} s"));
        var samples = new List<double>();
        for (var edit = 1; edit <= edits; edit++)
        {
            var file = (files / 2 + edit) % files;
            var path = $"/r{file}-{perFile / 2}";
            var temp = Path.Combine(Path.GetTempPath(), $"higress-edit-{Guid.NewGuid():N}.tmp");
            await File.WriteAllTextAsync(temp, FileYaml(file, perFile, edit));
            var started = Stopwatch.StartNew();
            File.Move(temp, Path.Combine(dir, FileName(file)), overwrite: true);
            while (await BodyAsync(client, path) != Expected(file, perFile / 2, edit) && started.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(5);
            }

            samples.Add(started.Elapsed.TotalMilliseconds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"edit {edit}: {started.Elapsed.TotalMilliseconds:F0} ms"));
            await Task.Delay(300);
        }

        var sorted = samples.Order().ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"one-file edit to traffic, {routes} routes in {files} files, {edits} edits: median {sorted[sorted.Length / 2]:F0} ms, p95 {sorted[(int)Math.Ceiling(sorted.Length * 0.95) - 1]:F0} ms, max {sorted[^1]:F0} ms"));
        await app.StopAsync();
        Directory.Delete(dir, recursive: true);
        return 0;
    }

    private static string FileName(int file) => string.Create(CultureInfo.InvariantCulture, $"routes-{file:D4}.yaml");

    private static string Expected(int file, int route, int version) => string.Create(CultureInfo.InvariantCulture, $"r{file}-{route} v{version}");

    private static string FileYaml(int file, int routes, int version)
    {
        var yaml = new StringBuilder();
        for (var r = 0; r < routes; r++)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"apiVersion: networking.higress.io/v1alpha1\nkind: Route\nmetadata: {{name: r{file}-{r}}}\nspec:\n  http:\n  - match: [{{uri: {{prefix: /r{file}-{r}}}}}]\n    directResponse: {{status: 200, body: {{string: \"{Expected(file, r, version)}\"}}}}\n---\n");
        }

        return yaml.ToString();
    }

    private static async Task<string?> BodyAsync(HttpClient client, string path)
    {
        try
        {
            return await client.GetStringAsync(new Uri(path, UriKind.Relative));
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

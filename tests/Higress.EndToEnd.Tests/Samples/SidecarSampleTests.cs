using System.Diagnostics;
using System.Globalization;
using System.Net;
using Higress.EndToEnd.Tests.Infrastructure;

namespace Higress.EndToEnd.Tests.Samples;

/// <summary>
/// samples/Higress.Samples.Sidecar as its README runs it: the reference host in sidecar mode on the sample's config
/// and the app with <c>HTTP_PROXY</c> set to the outbound port, two processes on loopback (on free ports here).
/// </summary>
public sealed class SidecarSampleTests
{
    [Fact]
    public async Task The_app_behind_its_sidecar_calls_the_greeter_by_name_and_the_inbound_rule_blocks_admin()
    {
        var (appPort, inbound, outbound) = (FreePorts.Next(), FreePorts.Next(), FreePorts.Next());
        var sample = SampleDirectory();
        var yaml = (await File.ReadAllTextAsync(Path.Combine(sample, "config", "sidecar.yaml"))).Replace("http: 8080", "http: " + appPort.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        await using var sidecar = await ReferenceHostProcess.StartAsync(
            new Dictionary<string, string> { ["sidecar.yaml"] = yaml },
            extraArgs: [$"--Higress:Sidecar:Inbound:Port={inbound}", $"--Higress:Sidecar:Inbound:App=http://127.0.0.1:{appPort}", $"--Higress:Sidecar:Outbound:Port={outbound}"]);
        using var app = StartApp(sample, appPort, outbound);
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{inbound}") };
            var (status, body) = await UntilAppAnswersAsync(client, app);

            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("app (x-sidecar: inbound) called http://greeter.internal/hello: 200 hello (x-mesh: greeter-route)", body);
            using var blocked = await client.GetAsync(new Uri("/admin", UriKind.Relative));
            Assert.Equal(HttpStatusCode.Forbidden, blocked.StatusCode);
        }
        finally
        {
            app.Kill(entireProcessTree: true);
            await app.WaitForExitAsync();
        }
    }

    private static string SampleDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var sample = Path.Combine(dir.FullName, "samples", "Higress.Samples.Sidecar");
            if (File.Exists(Path.Combine(dir.FullName, "Higress.Net.sln")) && Directory.Exists(sample))
            {
                return sample;
            }
        }

        throw new DirectoryNotFoundException("samples/Higress.Samples.Sidecar not found above " + AppContext.BaseDirectory);
    }

    private static Process StartApp(string sample, int port, int outbound)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(sample, "bin", "Release", "net10.0", "Higress.Samples.Sidecar.dll"));
        start.ArgumentList.Add($"--Sample:Port={port}");
        start.Environment["HTTP_PROXY"] = $"http://127.0.0.1:{outbound}";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment.Remove("ASPNETCORE_URLS");
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the sample app");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    // The app starts beside the already-ready sidecar; until it listens, the sidecar answers 502.
    private static async Task<(HttpStatusCode Status, string Body)> UntilAppAnswersAsync(HttpClient client, Process app)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var response = await client.GetAsync(new Uri("/", UriKind.Relative));
            if (response.StatusCode != HttpStatusCode.BadGateway || attempt >= 200 || app.HasExited)
            {
                return (response.StatusCode, await response.Content.ReadAsStringAsync());
            }

            await Task.Delay(100);
        }
    }
}

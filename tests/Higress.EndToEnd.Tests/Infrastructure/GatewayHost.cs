using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Higress.EndToEnd.Tests.Infrastructure;

/// <summary>
/// The gateway in-process: a <c>WebApplication</c> with <c>AddHigress</c>/<c>MapHigress</c> on Kestrel, reading a
/// temporary ConfigDir, binding 127.0.0.1, with its admin endpoints on a free port and a short reload debounce.
/// The environment variable <c>HIGRESS_TEST_FASTPATH</c> (<c>0</c> or <c>1</c>) sets <c>Higress:FastPath:Enabled</c>
/// for every gateway of the run, so that CI runs the suite once on each forwarding path; a test's own settings win.
/// </summary>
public sealed class GatewayHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GatewayHost(WebApplication app, string configDir, GatewayClient client)
    {
        _app = app;
        ConfigDir = configDir;
        Client = client;
    }

    /// <summary>The watched directory.</summary>
    public string ConfigDir { get; }

    /// <summary>A client for the listeners and the admin port.</summary>
    public GatewayClient Client { get; }

    /// <summary>
    /// Starts a gateway serving <paramref name="files"/> (file name → YAML) and waits until it is ready;
    /// <paramref name="settings"/> are extra command-line settings (<c>--Higress:Key=value</c>).
    /// </summary>
    public static async Task<GatewayHost> StartAsync(IReadOnlyDictionary<string, string> files, params string[] settings)
    {
        var configDir = Directory.CreateTempSubdirectory("higress-e2e-").FullName;
        foreach (var (name, yaml) in files)
        {
            await File.WriteAllTextAsync(Path.Combine(configDir, name), yaml);
        }

        var adminPort = FreePorts.Next();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ContentRootPath = configDir,
            EnvironmentName = "Production",
            Args =
            [
                $"--Higress:ConfigDir={configDir}",
                "--Higress:BindAddress=127.0.0.1",
                $"--Higress:Admin:Port={adminPort.ToString(CultureInfo.InvariantCulture)}",
                "--Higress:ReloadDebounce=00:00:00.050",
                .. FastPathSetting(),
                .. settings,
            ],
        });
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddHigress(builder.Configuration.GetSection("Higress"));
        var app = builder.Build();
        app.MapHigress();
        await app.StartAsync();
        var host = new GatewayHost(app, configDir, new GatewayClient(adminPort));
        await host.Client.WaitReadyAsync();
        return host;
    }

    /// <summary>
    /// <c>--Higress:FastPath:Enabled=false|true</c> when <c>HIGRESS_TEST_FASTPATH</c> is <c>0</c> or <c>1</c>, nothing
    /// when it is unset (the product's default); any other value is a mistake in the run's set-up and fails it.
    /// </summary>
    public static string[] FastPathSetting() => Environment.GetEnvironmentVariable("HIGRESS_TEST_FASTPATH") switch
    {
        null or "" => [],
        "0" => ["--Higress:FastPath:Enabled=false"],
        "1" => ["--Higress:FastPath:Enabled=true"],
        var other => throw new InvalidOperationException($"HIGRESS_TEST_FASTPATH is '{other}'; set it to 0 (YARP only) or 1 (fast path on), or unset it."),
    };

    /// <summary>Writes (or replaces) files and waits until the gateway applied a newer plan and is ready.</summary>
    public async Task ApplyAsync(IReadOnlyDictionary<string, string> files)
    {
        var before = await Client.GenerationAsync();
        foreach (var (name, yaml) in files)
        {
            await WriteAtomicallyAsync(name, yaml);
        }

        await Client.WaitReadyAsync(before + 1);
    }

    /// <summary>Writes (or replaces) one file and waits for a newer plan.</summary>
    public Task ApplyAsync(string name, string yaml) => ApplyAsync(new Dictionary<string, string> { [name] = yaml });

    /// <summary>Deletes a file and waits for a newer plan.</summary>
    public async Task DeleteAsync(string name)
    {
        var before = await Client.GenerationAsync();
        File.Delete(Path.Combine(ConfigDir, name));
        await Client.WaitReadyAsync(before + 1);
    }

    /// <summary>Replaces a file without waiting.</summary>
    public async Task WriteAtomicallyAsync(string name, string content)
    {
        var temp = Path.Combine(Path.GetTempPath(), $"higress-e2e-{Guid.NewGuid():N}.tmp");
        await File.WriteAllTextAsync(temp, content);
        File.Move(temp, Path.Combine(ConfigDir, name), overwrite: true);
    }

    /// <summary>Sends a request to the listener on <paramref name="port"/> with Host <paramref name="host"/>.</summary>
    public Task<GatewayResponse> SendAsync(int port, string host, string pathAndQuery, HttpMethod? method = null, IEnumerable<KeyValuePair<string, string>>? headers = null)
        => Client.SendAsync(port, host, pathAndQuery, method, headers);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(ConfigDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

using System.Globalization;
using Higress.Core.Resources.Sources;
using Higress.Hosting.Runtime;
using Higress.Hosting.Tests;
using Higress.Kubernetes.Status;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Higress.Kubernetes.Tests.Fake;

/// <summary>
/// A gateway on real Kestrel fed only by the fake API server through <c>AddHigress().AddKubernetes()</c> and a
/// kubeconfig file: the fake holds a native Gateway <c>default/gw</c> with one HTTP listener (routes from all
/// namespaces) on <see cref="Port"/>. Short reconnect backoffs keep the tests quick.
/// </summary>
internal sealed class WatchedGateway : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _directory;

    private WatchedGateway(WebApplication app, string directory, int port, int adminPort)
    {
        _app = app;
        _directory = directory;
        Port = port;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        Admin = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{adminPort}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public int Port { get; }

    public HttpClient Client { get; }

    public HttpClient Admin { get; }

    /// <summary>The configuration loop: <see cref="HigressConfigurationLoop.Generation"/> counts plans.</summary>
    public HigressConfigurationLoop Loop => _app.Services.GetRequiredService<HigressConfigurationLoop>();

    public KubernetesResourceSource Source => _app.Services.GetServices<IResourceSource>().OfType<KubernetesResourceSource>().Single();

    /// <summary>The status writer (null when status writing is off).</summary>
    public StatusWriter? Writer => _app.Services.GetServices<IHostedService>().OfType<StatusWriter>().SingleOrDefault();

    /// <param name="api">The fake API server.</param>
    /// <param name="configure">Option changes.</param>
    /// <param name="putGateway">False for a second replica: it serves the Gateway the first one stored.</param>
    public static async Task<WatchedGateway> StartAsync(FakeKubeApiServer api, Action<KubernetesOptions>? configure = null, bool putGateway = true)
    {
        var port = TestPorts.Next();
        var adminPort = TestPorts.Next();
        if (putGateway)
        {
            api.Put("""
            {"apiVersion": "networking.higress.io/v1alpha1", "kind": "Gateway", "metadata": {"name": "gw", "namespace": "default"},
             "spec": {"listeners": [{"protocol": "HTTP", "port": PORT, "allowedRoutes": {"namespaces": {"from": "All"}}}]}}
            """.Replace("PORT", port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
        }

        var directory = Directory.CreateTempSubdirectory("higress-k8s-").FullName;
        var kubeconfig = api.WriteKubeconfig(directory);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{TestPorts.Next()}");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Higress:Admin:Port"] = adminPort.ToString(CultureInfo.InvariantCulture),
            ["Higress:BindAddress"] = "127.0.0.1",
            ["Higress:Kubernetes:Enabled"] = "true",
            ["Higress:Kubernetes:Kubeconfig"] = kubeconfig,
        });
        builder.Services.AddHigress(builder.Configuration.GetSection("Higress")).AddKubernetes(o =>
        {
            o.InitialBackoff = TimeSpan.FromMilliseconds(10);
            o.MaxBackoff = TimeSpan.FromMilliseconds(200);
            o.LeaseDuration = TimeSpan.FromSeconds(2);
            o.LeaseRenewDeadline = TimeSpan.FromMilliseconds(1500);
            o.LeaseRetryPeriod = TimeSpan.FromMilliseconds(200);
            configure?.Invoke(o);
        });
        var app = builder.Build();
        app.MapHigress();
        await app.StartAsync();
        return new WatchedGateway(app, directory, port, adminPort);
    }

    /// <summary>Polls <paramref name="condition"/> every 20 ms until it holds; fails after <paramref name="seconds"/>.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, int seconds = 15)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting until {what}");
            await Task.Delay(20);
        }
    }

    /// <summary>The body of GET <paramref name="path"/> on the listener, or the status code when it is not 200.</summary>
    public async Task<string> GetAsync(string path)
    {
        try
        {
            using var response = await Client.GetAsync(path);
            return response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync() : ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
        }
        catch (HttpRequestException ex)
        {
            return ex.Message;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Admin.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}

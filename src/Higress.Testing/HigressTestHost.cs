using Higress.Core.Explain;
using Higress.Core.Resources.Sources;
using Higress.Core.Translation;
using Higress.Hosting.Runtime;
using Higress.Hosting.Sources;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Higress.Testing;

/// <summary>
/// Runs the whole gateway in-process on <see cref="TestServer"/>, with in-memory backends, for users' own tests:
/// the same translator, matcher, plugins and YARP forwarding as production, and no sockets. A request's URL port
/// selects the listener (80 when absent), its host is the Host header. The host reads no configuration but what the
/// test declares (see <see cref="HigressTestHostBuilder.UseConfiguration"/>), and its error bodies say why.
/// </summary>
public sealed partial class HigressTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly InMemoryBackends _backends;
    private readonly CodeResourceSource _source;
    private readonly HigressTestHostBuilder _options;

    private HigressTestHost(WebApplication app, InMemoryBackends backends, CodeResourceSource source, HigressTestHostBuilder options)
    {
        _options = options;
        _app = app;
        _backends = backends;
        _source = source;
    }

    /// <summary>The gateway's services (for example to resolve a plugin and read its state).</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>The translation being served: plan, statuses and diagnostics.</summary>
    public TranslationResult Translation => Runtime.Current.Translation;

    private HigressRuntime Runtime => _app.Services.GetRequiredService<HigressRuntime>();

    /// <summary>Starts a gateway configured by <paramref name="configure"/>.</summary>
    public static async Task<HigressTestHost> StartAsync(Action<HigressTestHostBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var options = new HigressTestHostBuilder();
        configure(options);

        var backends = new InMemoryBackends();
        foreach (var (address, handler) in options.Backends)
        {
            await backends.AddAsync(address, handler).ConfigureAwait(false);
        }

        var source = new CodeResourceSource(options.Apply, "test");
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.Sources.Clear();
        ConfigureSettings(builder.Configuration, options);
        builder.WebHost.UseTestServer(o => o.PreserveExecutionContext = true);
        builder.Logging.ClearProviders();

        // Registered before AddHigress's configuration sources, so that the test's objects win a duplicate.
        builder.Services.AddSingleton<IResourceSource>(source);
        builder.Services.AddHigress(builder.Configuration.GetSection("Higress"));
        builder.Services.Replace(ServiceDescriptor.Singleton<IForwarderHttpClientFactory>(new InMemoryForwarderClientFactory(backends)));
        builder.Services.AddSingleton<IStartupFilter, ListenerPortFromHostFilter>();
        options.ConfigureServices?.Invoke(builder.Services);

        var app = builder.Build();
        app.MapHigress();
        await app.StartAsync().ConfigureAwait(false);
        return new HigressTestHost(app, backends, source, options);
    }

    /// <summary>A client whose requests enter the gateway; it does not follow redirects.</summary>
    public HttpClient CreateClient()
    {
        var handler = new GatewayExchange.Recorder(_app.GetTestServer().CreateHandler());
        return new HttpClient(handler) { BaseAddress = new Uri("http://localhost/") };
    }

    /// <summary>Replaces the declared objects (the backends' Services stay) and waits until the new plan serves.</summary>
    public async Task UpdateAsync(Action<ResourceBuilder> configure, TimeSpan? timeout = null)
    {
        var before = Runtime.Current;
        _source.Update(r =>
        {
            _options.ApplyBackends(r);
            configure(r);
        });
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (ReferenceEquals(Runtime.Current, before))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The updated configuration was not applied in time; see Translation.Diagnostics.");
            }

            await Task.Delay(10).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync().ConfigureAwait(false);
        await _backends.DisposeAsync().ConfigureAwait(false);
        _source.Dispose();
    }

    /// <summary>
    /// The host's configuration, lowest precedence first: configuration the test opted into, the test host's
    /// defaults, the test's own settings, and what a test server cannot do without (no sockets, no admin port).
    /// </summary>
    private static void ConfigureSettings(ConfigurationManager configuration, HigressTestHostBuilder options)
    {
        foreach (var added in options.Configurations)
        {
            configuration.AddConfiguration(added);
        }

        configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Higress:ReloadDebounce"] = "00:00:00.010",
            ["Higress:DetailedErrors"] = "true",
        });
        configuration.AddInMemoryCollection(options.Settings);
        configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Higress:OpenListeners"] = "false",
            ["Higress:Admin:Enabled"] = "false",
        });
    }

    /// <summary>Test servers have no local port: take the listener port from the request's Host.</summary>
    private sealed class ListenerPortFromHostFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Connection.LocalPort = context.Request.Host.Port ?? (context.Request.IsHttps ? 443 : 80);
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}

using Higress.Hosting;
using Higress.Hosting.Sources;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Higress.Testing;

/// <summary>
/// Declares what a <see cref="HigressTestHost"/> serves: objects (YAML or code), in-memory backends, host settings and,
/// only when asked, the application's own configuration.
/// </summary>
public sealed class HigressTestHostBuilder
{
    private readonly List<Action<ResourceBuilder>> _resources = [];
    private readonly List<Action<ResourceBuilder>> _backendServices = [];

    internal Dictionary<string, RequestDelegate> Backends { get; } = new(StringComparer.Ordinal);

    internal List<IConfiguration> Configurations { get; } = [];

    internal Dictionary<string, string?> Settings { get; } = new(StringComparer.OrdinalIgnoreCase);

    internal Action<IServiceCollection>? ConfigureServices { get; private set; }

    /// <summary>Adds objects written as YAML or JSON, as a ConfigDir file would hold them.</summary>
    public HigressTestHostBuilder AddYaml(string yaml)
    {
        _resources.Add(r => r.AddYaml(yaml));
        return this;
    }

    /// <summary>Adds objects declared in code.</summary>
    public HigressTestHostBuilder Configure(Action<ResourceBuilder> configure)
    {
        _resources.Add(configure);
        return this;
    }

    /// <summary>
    /// Adds an in-memory backend and the Service (with one endpoint) that routes reach it by:
    /// <c>destination: {host: name, port: port}</c> or <c>backendRefs: [{name: name, port: port}]</c>.
    /// </summary>
    public HigressTestHostBuilder AddBackend(string service, int port, RequestDelegate handler, string @namespace = "default")
    {
        var address = InMemoryBackends.Address(BackendHost(service, @namespace), port);
        Backends[address] = handler;
        _backendServices.Add(r => r.AddService(service, port, [address], @namespace));
        return this;
    }

    /// <summary>
    /// Sets one configuration value, e.g. <c>UseSetting("Higress:Security:EscapedSlashes", "Keep")</c>. It wins over
    /// configuration added with <see cref="UseConfiguration"/>.
    /// </summary>
    public HigressTestHostBuilder UseSetting(string key, string? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        Settings[key] = value;
        return this;
    }

    /// <summary>
    /// Lets the host read <paramref name="configuration"/> as an application would read its own: the <c>Higress</c>
    /// section's settings, <c>Resources</c> and <c>ConfigDir</c>. Without this call a test host reads no configuration
    /// but what the test declares. Objects the test declares win over objects of the same kind, namespace and name
    /// from configuration (the duplicate is a warning in <see cref="HigressTestHost.Translation"/>).
    /// </summary>
    public HigressTestHostBuilder UseConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        Configurations.Add(configuration);
        return this;
    }

    /// <summary>
    /// Lets the host read the application's <c>appsettings.json</c> and <c>appsettings.{environment}.json</c> from the
    /// test's output folder, where a project reference to the application copies them.
    /// </summary>
    /// <param name="environment">The environment whose file is read too (default <c>Production</c>).</param>
    public HigressTestHostBuilder UseAppConfiguration(string environment = "Production") =>
        UseConfiguration(new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true, reloadOnChange: false)
            .AddJsonFile($"appsettings.{environment}.json", optional: true, reloadOnChange: false)
            .Build());

    /// <summary>Registers services in the gateway host, e.g. <c>s => s.AddHigress(...).AddPlugin&lt;T&gt;()</c>.</summary>
    public HigressTestHostBuilder Services(Action<IServiceCollection> configure)
    {
        ConfigureServices += configure;
        return this;
    }

    /// <summary>Registers a plugin, as <c>services.AddHigress(...).AddPlugin&lt;T&gt;()</c> does in a host.</summary>
    public HigressTestHostBuilder AddPlugin<TPlugin>()
        where TPlugin : class, Core.Plugins.IHigressPlugin => Services(s => new HigressBuilder(s).AddPlugin<TPlugin>());

    internal static string BackendHost(string service, string @namespace) => $"{service}.{@namespace}.backend.test";

    internal void Apply(ResourceBuilder builder)
    {
        ApplyBackends(builder);
        foreach (var resource in _resources)
        {
            resource(builder);
        }
    }

    /// <summary>Declares the Services of the in-memory backends (kept across <see cref="HigressTestHost.UpdateAsync"/>).</summary>
    internal void ApplyBackends(ResourceBuilder builder)
    {
        foreach (var service in _backendServices)
        {
            service(builder);
        }
    }
}

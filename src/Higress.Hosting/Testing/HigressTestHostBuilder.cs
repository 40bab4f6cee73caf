using System.Globalization;
using Higress.Hosting.Sources;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Higress.Hosting.Testing;

/// <summary>Declares what a <see cref="HigressTestHost"/> serves: objects (YAML or code) and in-memory backends.</summary>
public sealed class HigressTestHostBuilder
{
    private readonly List<Action<ResourceBuilder>> _resources = [];
    private readonly List<Action<ResourceBuilder>> _backendServices = [];

    internal Dictionary<string, RequestDelegate> Backends { get; } = new(StringComparer.OrdinalIgnoreCase);

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
        var host = BackendHost(service, @namespace);
        Backends[$"{host}:{port.ToString(CultureInfo.InvariantCulture)}"] = handler;
        _backendServices.Add(r => r.AddService(service, port, [$"{host}:{port.ToString(CultureInfo.InvariantCulture)}"], @namespace));
        return this;
    }

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

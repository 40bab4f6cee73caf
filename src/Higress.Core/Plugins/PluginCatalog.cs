using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using Higress.Core.Plugins.BuiltIn;
using Microsoft.Extensions.DependencyInjection;

namespace Higress.Core.Plugins;

/// <summary>
/// The plugins this gateway knows, by name: the built-ins plus those registered with
/// <c>AddPlugin&lt;T&gt;()</c>. A registered plugin with a built-in's name replaces the built-in.
/// </summary>
public sealed class PluginCatalog
{
    private readonly FrozenDictionary<string, IHigressPlugin> _plugins;

    /// <summary>Creates a catalog of the built-ins plus <paramref name="plugins"/>.</summary>
    /// <param name="plugins">User plugins; two with the same name are a startup error.</param>
    /// <param name="services">
    /// Creates the built-ins, which may take services such as <c>IHttpClientFactory</c>, <c>TimeProvider</c> and
    /// loggers; null for a small provider of those defaults (for the explainer and tests).
    /// </param>
    /// <exception cref="InvalidOperationException">Two plugins share a name, or a name is empty.</exception>
    public PluginCatalog(IEnumerable<IHigressPlugin> plugins, IServiceProvider? services = null)
    {
        ArgumentNullException.ThrowIfNull(plugins);
        var byName = new Dictionary<string, IHigressPlugin>(StringComparer.Ordinal);
        // A host's provider may lack what the built-ins take (a TimeProvider, an IHttpClientFactory): the defaults fill in.
        services = services is null ? DefaultServices.Value : new WithDefaults(services);
        foreach (var type in BuiltInPlugins.Types)
        {
            var builtIn = (IHigressPlugin)ActivatorUtilities.CreateInstance(services, type);
            byName[builtIn.Name] = builtIn;
        }

        var registered = new Dictionary<string, IHigressPlugin>(StringComparer.Ordinal);
        foreach (var plugin in plugins)
        {
            if (string.IsNullOrWhiteSpace(plugin.Name))
            {
                throw new InvalidOperationException($"Plugin type {plugin.GetType().FullName} has an empty Name; return a name such as 'my-plugin'.");
            }

            if (registered.TryGetValue(plugin.Name, out var existing) && !ReferenceEquals(existing, plugin))
            {
                throw new InvalidOperationException(
                    $"Plugins {existing.GetType().FullName} and {plugin.GetType().FullName} are both named '{plugin.Name}'; rename one of them.");
            }

            registered[plugin.Name] = plugin;
            byName[plugin.Name] = plugin;
        }

        _plugins = byName.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static readonly Lazy<IServiceProvider> DefaultServices = new(() => new ServiceCollection()
        .AddLogging()
        .AddHttpClient()
        .AddSingleton(TimeProvider.System)
        .AddSingleton(new Diagnostics.HigressMeter())
        .AddSingleton(new PluginRuntimeReports())
        .BuildServiceProvider());

    /// <summary>The host's services, then the defaults for what it does not register.</summary>
    private sealed class WithDefaults(IServiceProvider services) : IServiceProvider
    {
        // Answering "is this a service?" from the host alone would make the activator refuse what the defaults provide.
        public object? GetService(Type serviceType) =>
            serviceType == typeof(IServiceProviderIsService) ? null : services.GetService(serviceType) ?? DefaultServices.Value.GetService(serviceType);
    }

    /// <summary>A catalog of the built-in plugins only.</summary>
    public static PluginCatalog BuiltIn { get; } = new([]);

    /// <summary>The known plugin names.</summary>
    public IEnumerable<string> Names => _plugins.Keys;

    /// <summary>Finds a plugin by name (case-sensitive, as Higress names are).</summary>
    /// <param name="name">The plugin name.</param>
    /// <param name="plugin">The plugin, when found.</param>
    /// <returns>True when found.</returns>
    public bool TryGet(string name, [NotNullWhen(true)] out IHigressPlugin? plugin) => _plugins.TryGetValue(name, out plugin);
}

using System.Collections.Immutable;
using System.Text.Json;
using Higress.Core.Diagnostics;
using Higress.Core.Plan;
using Higress.Core.Policies;
using Higress.Core.Resources;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Higress.Core.Plugins;

/// <summary>
/// The default <see cref="IPluginChainFactory"/>: looks each binding's plugin up in the catalog and reuses the
/// config the translator parsed (or parses <see cref="PluginBinding.ConfigJson"/> for bindings made by code).
/// </summary>
internal sealed partial class PluginChainFactory : IPluginChainFactory
{
    private readonly PluginCatalog _catalog;
    private readonly ILogger _logger;
    private readonly PluginMetrics _metrics;

    /// <summary>Creates the factory.</summary>
    /// <param name="catalog">The known plugins.</param>
    /// <param name="loggerFactory">Logging for chains; null for none.</param>
    /// <param name="meter">The host's <c>Higress</c> meter; null to create one.</param>
    public PluginChainFactory(PluginCatalog catalog, ILoggerFactory? loggerFactory = null, HigressMeter? meter = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        _catalog = catalog;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<PluginChain>();
        _metrics = new PluginMetrics(meter ?? new HigressMeter());
    }

    /// <inheritdoc />
    public PluginChain Create(RoutePlan route, PolicyStateScope? state = null)
    {
        ArgumentNullException.ThrowIfNull(route);
        if (route.Plugins.IsEmpty)
        {
            return PluginChain.Empty;
        }

        var bindings = ImmutableArray.Create(route.Plugins.AsSpan()).Sort(PluginOrder.Instance);
        var entries = ImmutableArray.CreateBuilder<PluginChainEntry>(bindings.Length);
        foreach (var binding in bindings)
        {
            var entry = CreateEntry(binding, route, state);
            if (entry.Plugin is null)
            {
                Log.BindingUnusable(_logger, binding.Name, binding.InstanceId, route.Id, entry.Problem!, binding.FailStrategy);
                _metrics.PluginFailed(binding.Name, "configure", binding.FailStrategy);
                if (binding.FailStrategy == FailStrategy.FailOpen)
                {
                    continue;
                }
            }

            entries.Add(entry);
        }

        return entries.Count == 0 ? PluginChain.Empty : new PluginChain(entries.DrainToImmutable(), _logger, _metrics);
    }

    private PluginChainEntry CreateEntry(PluginBinding binding, RoutePlan route, PolicyStateScope? state)
    {
        if (state is null)
        {
            var alone = CreateEntry(binding);
            return alone.Plugin is { } plugin ? WithState(alone, plugin.CreateState(alone.Config!)) : alone;
        }

        // The entry of this instance on this rule outlives the plan while its binding is unchanged; its state is
        // shared by every rule with the same instance and config (matchRules give one instance several configs).
        var owner = $"plugin:{binding.Name}:{binding.InstanceId}@{route.Id}";
        var fresh = CreateEntry(binding);
        if (fresh.Plugin is null)
        {
            // A config that turned invalid keeps serving with the last good one, as Envoy keeps its last accepted
            // configuration: a typo must neither drop a policy nor turn its routes into 500.
            // The runtime reports it (log, /config_dump, status) by comparing the chain's bindings with the plan's.
            if (fresh.IsInvalidConfig && state.TryKeep<PluginChainEntry>(owner, out var lastGood))
            {
                return lastGood;
            }

            return fresh;
        }

        return state.GetOrCreate(owner, binding, _ =>
        {
            var instance = state.GetOrCreate(
                $"plugin-state:{binding.Name}:{binding.InstanceId}:{binding.ConfigJson}", binding, _ => new PluginInstanceState(fresh.Plugin.CreateState(fresh.Config!)));
            return WithState(fresh, instance.Value);
        });
    }

    private static PluginChainEntry WithState(PluginChainEntry entry, object? instanceState) =>
        instanceState is null ? entry : new PluginChainEntry(entry.Binding, entry.Plugin, entry.Config, null, instanceState);

    private PluginChainEntry CreateEntry(PluginBinding binding)
    {
        if (!_catalog.TryGet(binding.Name, out var plugin))
        {
            return new PluginChainEntry(binding, null, null, $"no plugin named '{binding.Name}' is registered");
        }

        if (binding.Config is { } parsed)
        {
            return new PluginChainEntry(binding, plugin, parsed, null);
        }

        var context = new PluginConfigContext(binding.Name, binding.InstanceId);
        object? config = null;
        try
        {
            using var document = JsonDocument.Parse(string.IsNullOrWhiteSpace(binding.ConfigJson) ? "{}" : binding.ConfigJson);
            var element = document.RootElement.ValueKind == JsonValueKind.Null ? EquatableJson.EmptyObject.Element : document.RootElement.Clone();
            config = plugin.ParseConfig(element, context);
        }
        catch (JsonException ex)
        {
            context.AddError(string.Empty, "is not valid JSON: " + ex.Message);
        }

        return context.HasErrors || config is null
            ? new PluginChainEntry(binding, null, null, "invalid config: " + string.Join("; ", context.Errors)) { IsInvalidConfig = true }
            : new PluginChainEntry(binding, plugin, config, null);
    }

    /// <summary>Holds an instance's state (possibly null) in the store, which keeps only non-null pieces.</summary>
    private sealed class PluginInstanceState(object? value) : IDisposable
    {
        public object? Value { get; } = value;

        public void Dispose() => PolicyStateStore.DisposeState(Value);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.PluginBindingUnusable, Level = LogLevel.Error, Message = "Plugin {Plugin} ({Instance}) on rule {Route} cannot run: {Problem}; fail strategy {FailStrategy}.")]
        public static partial void BindingUnusable(ILogger logger, string plugin, string instance, string route, string problem, FailStrategy failStrategy);
    }
}

using System.Text.Json;
using Higress.Core.Plugins;
using Higress.Core.Resources;

namespace Higress.Core.Translation.Plugins;

/// <summary>
/// Turns Extensions, WasmPlugins and inline plugins into <see cref="PluginSource"/>s, parsing every config once
/// and reporting each problem with the object, field path and fix.
/// </summary>
internal static class PluginSourceReader
{
    /// <summary>Finds a Secret by namespace and name.</summary>
    public delegate Secret? SecretLookup(string @namespace, string name);

    /// <summary>Resolves a service host and port in a namespace to endpoint addresses, or says why not.</summary>
    public delegate (IReadOnlyList<System.Net.DnsEndPoint>? Endpoints, string? Error) ServiceLookup(string @namespace, string host, int? port);

    /// <summary>Where a config is parsed: its namespace (for Secrets and services) and whether it is a match rule's.</summary>
    public sealed record VariantScope(string Namespace, SecretLookup Secrets, bool HasMatchRules, bool IsMatchRule = false)
    {
        /// <summary>Service resolution for plugins that talk to a service; null outside a translation.</summary>
        public ServiceLookup? Services { get; init; }
    }

    public static PluginSource FromExtension(Extension extension, PluginCatalog catalog, SecretLookup secrets, List<ConfigDiagnostic> diagnostics, ServiceLookup? services = null)
    {
        var spec = extension.Spec;
        var display = extension.Display;
        var name = spec.PluginName;
        IHigressPlugin? plugin = null;
        if (name is null)
        {
            diagnostics.Add(Error(display, "spec.plugin", "names no plugin and none can be inferred from spec.type and spec.config",
                "set spec.plugin (e.g. custom-response), or give spec.config a single key such as jwt"));
            name = string.Empty;
        }
        else if (!catalog.TryGet(name, out plugin))
        {
            diagnostics.Add(Error(display, string.IsNullOrEmpty(spec.Plugin) ? "spec.config" : "spec.plugin", $"no plugin named '{name}' is registered",
                $"register it with AddPlugin<T>() or use one of: {string.Join(", ", catalog.Names.Order(StringComparer.Ordinal))}"));
        }

        // `config: {jwt: {...}}` with no spec.plugin: the plugin's own config is the value under the single key.
        var wrapperKey = string.IsNullOrEmpty(spec.Plugin) && spec.Config is { Element.ValueKind: JsonValueKind.Object } c
            ? c.Element.EnumerateObject().Select(p => p.Name).FirstOrDefault()
            : null;

        var scope = new VariantScope(extension.Namespace, secrets, HasMatchRules: !spec.MatchRules.IsEmpty) { Services = services };
        var defaultConfig = Unwrap(spec.Config, wrapperKey);
        var defaultVariant = spec.Config is null && !spec.MatchRules.IsEmpty
            ? null
            : ParseVariant(plugin, name, defaultConfig, display, display, wrapperKey is null ? "spec.config" : $"spec.config.{wrapperKey}", diagnostics, scope);

        var targets = new List<PluginTargetRef>();
        for (var i = 0; i < spec.TargetRefs.Count; i++)
        {
            var target = spec.TargetRefs[i];
            if (target.Namespace is { Length: > 0 } ns && ns != extension.Namespace)
            {
                diagnostics.Add(Warning(display, $"spec.targetRefs[{i}].namespace", $"'{ns}' is another namespace; an Extension only applies to its own namespace's routes",
                    $"create the Extension in namespace '{ns}'"));
                continue;
            }

            if (target.Kind is not ("Route" or "HTTPRoute" or "GRPCRoute" or "Gateway"))
            {
                diagnostics.Add(Warning(display, $"spec.targetRefs[{i}].kind", $"'{target.Kind}' cannot be targeted", "use Route, HTTPRoute, GRPCRoute or Gateway"));
                continue;
            }

            targets.Add(new PluginTargetRef(target.Kind, target.Name));
        }

        var rules = new List<PluginMatchRule>();
        for (var i = 0; i < spec.MatchRules.Count; i++)
        {
            var rule = spec.MatchRules[i];
            var path = $"spec.matchRules[{i}]";
            var routes = RouteNames(rule.Route, extension.Namespace, display, path + ".route", diagnostics);
            var variant = rule.ConfigDisable
                ? PluginVariant.Off
                : ParseVariant(plugin, name, MergeOver(defaultConfig, Unwrap(rule.Config, wrapperKey)), display, display, path + ".config", diagnostics, scope with { IsMatchRule = true });
            rules.Add(new PluginMatchRule(routes, [.. rule.Domain], variant));
        }

        var (phase, priority) = PhaseAndPriority(spec.Phase, spec.Priority, plugin);
        return new PluginSource(extension.Namespace, display, name, plugin, phase, priority, spec.FailStrategy, defaultVariant,
            spec.TargetRefs.IsEmpty ? null : targets, rules);
    }

    public static PluginSource FromWasmPlugin(WasmPlugin wasmPlugin, PluginCatalog catalog, SecretLookup secrets, List<ConfigDiagnostic> diagnostics, ServiceLookup? services = null)
    {
        var spec = wasmPlugin.Spec;
        var display = wasmPlugin.Display;
        var name = spec.EffectivePluginName;
        if (!catalog.TryGet(name, out var plugin))
        {
            diagnostics.Add(Error(display, string.IsNullOrEmpty(spec.PluginName) ? "spec.url" : "spec.pluginName",
                $"no built-in or registered plugin is named '{name}' (Wasm modules are not executed; the name picks a C# plugin)",
                $"use one of: {string.Join(", ", catalog.Names.Order(StringComparer.Ordinal))}"));
        }

        var scope = new VariantScope(wasmPlugin.Namespace, secrets, HasMatchRules: !spec.MatchRules.IsEmpty) { Services = services };
        var defaultVariant = spec.DefaultConfigDisable || (spec.DefaultConfig is null && !spec.MatchRules.IsEmpty)
            ? null
            : ParseVariant(plugin, name, spec.DefaultConfig, display, display, "spec.defaultConfig", diagnostics, scope);

        var rules = new List<PluginMatchRule>();
        for (var i = 0; i < spec.MatchRules.Count; i++)
        {
            var rule = spec.MatchRules[i];
            var path = $"spec.matchRules[{i}]";
            if (!rule.Service.IsEmpty)
            {
                diagnostics.Add(Warning(display, path + ".service", "service match rules are not supported yet and never match", "match on ingress (route) or domain instead"));
            }

            var routes = RouteNames(rule.Ingress, wasmPlugin.Namespace, display, path + ".ingress", diagnostics);
            var variant = rule.ConfigDisable
                ? PluginVariant.Off
                : ParseVariant(plugin, name, MergeOver(spec.DefaultConfig, rule.Config), display, display, path + ".config", diagnostics, scope with { IsMatchRule = true });
            rules.Add(new PluginMatchRule(routes, [.. rule.Domain], variant));
        }

        var (phase, priority) = PhaseAndPriority(spec.Phase, spec.Priority, plugin);
        return new PluginSource(wasmPlugin.Namespace, display, name, plugin, phase, priority, spec.FailStrategy, defaultVariant, null, rules);
    }

    /// <summary>Parses one config of <paramref name="plugin"/>; a problem is reported and kept on the variant.</summary>
    public static PluginVariant ParseVariant(
        IHigressPlugin? plugin, string pluginName, EquatableJson? config, string objectDisplay, string instanceId, string fieldPath, List<ConfigDiagnostic> diagnostics, VariantScope scope)
    {
        // A missing or null config reaches the plugin as an empty object, so parsers need not special-case it.
        var element = config is { Element.ValueKind: not (JsonValueKind.Undefined or JsonValueKind.Null) } given ? given.Element : EquatableJson.EmptyObject.Element;
        var json = element.GetRawText();
        if (plugin is null)
        {
            return new PluginVariant(json, null, $"no plugin named '{pluginName}' is registered", false);
        }

        var context = new PluginConfigContext(pluginName, instanceId)
        {
            Namespace = scope.Namespace,
            IsMatchRule = scope.IsMatchRule,
            HasMatchRules = scope.HasMatchRules,
            SecretLookup = name => scope.Secrets(scope.Namespace, name),
            ServiceLookup = scope.Services is { } services ? (host, port) => services(scope.Namespace, host, port) : null,
        };
        object? parsed = null;
        try
        {
            parsed = plugin.ParseConfig(element, context);
        }
#pragma warning disable CA1031 // A plugin's parser bug must become a diagnostic, not break the whole plan.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            context.AddError(string.Empty, $"the {pluginName} config parser threw {ex.GetType().Name}: {ex.Message}", "check the config against the plugin's README");
        }

        foreach (var error in context.Errors)
        {
            var path = error.FieldPath.Length == 0 ? fieldPath : $"{fieldPath}.{error.FieldPath}";
            diagnostics.Add(Error(objectDisplay, path, error.Message, error.Fix));
        }

        foreach (var warning in context.Warnings)
        {
            var path = warning.FieldPath.Length == 0 ? fieldPath : $"{fieldPath}.{warning.FieldPath}";
            diagnostics.Add(Warning(objectDisplay, path, warning.Message, warning.Fix));
        }

        return context.HasErrors || parsed is null
            ? new PluginVariant(json, null, $"invalid {pluginName} config: {string.Join("; ", context.Errors)}", false, InvalidConfig: true)
            : new PluginVariant(json, parsed, null, false) { SecretsVersion = context.SecretFingerprints.Count == 0 ? null : string.Join(",", context.SecretFingerprints) };
    }

    /// <summary>
    /// A match rule's config over the default config, field by field at the top level, as Higress's plugin framework
    /// does: a rule that sets only <c>allow</c> keeps the default's <c>consumers</c>.
    /// </summary>
    internal static EquatableJson? MergeOver(EquatableJson? defaults, EquatableJson? rule)
    {
        if (defaults is not { Element.ValueKind: JsonValueKind.Object } baseConfig)
        {
            return rule;
        }

        if (rule is not { Element.ValueKind: JsonValueKind.Object } ruleConfig)
        {
            return rule is { Element.ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) } ? rule : defaults;
        }

        var merged = new System.Text.Json.Nodes.JsonObject();
        foreach (var property in baseConfig.Element.EnumerateObject())
        {
            merged[property.Name] = System.Text.Json.Nodes.JsonNode.Parse(property.Value.GetRawText());
        }

        foreach (var property in ruleConfig.Element.EnumerateObject())
        {
            merged[property.Name] = System.Text.Json.Nodes.JsonNode.Parse(property.Value.GetRawText());
        }

        return EquatableJson.Parse(merged.ToJsonString());
    }

    private static EquatableJson? Unwrap(EquatableJson? config, string? key) =>
        key is not null && config is { Element.ValueKind: JsonValueKind.Object } c && c.Element.TryGetProperty(key, out var inner)
            ? EquatableJson.FromElement(inner)
            : config;

    // No phase and no priority means "the plugin's defaults" (custom-response: AUTHN/910, as in Higress).
    private static (PluginPhase Phase, int Priority) PhaseAndPriority(PluginPhase phase, int priority, IHigressPlugin? plugin) =>
        phase == PluginPhase.Unspecified && priority == 0 && plugin is not null ? (plugin.DefaultPhase, plugin.DefaultPriority) : (phase, priority);

    private static HashSet<string> RouteNames(EquatableArray<string> entries, string ownNamespace, string display, string path, List<ConfigDiagnostic> diagnostics)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            var slash = entry.IndexOf('/', StringComparison.Ordinal);
            if (slash >= 0 && entry[..slash] != ownNamespace)
            {
                diagnostics.Add(Warning(display, $"{path}[{i}]", $"'{entry}' is in another namespace and is ignored; plugin instances never reach other namespaces",
                    $"create a separate instance in namespace '{entry[..slash]}'"));
                continue;
            }

            names.Add(slash >= 0 ? entry[(slash + 1)..] : entry);
        }

        return names;
    }

    private static ConfigDiagnostic Error(string display, string path, string message, string? fix = null) => new(DiagnosticSeverity.Error, display, path, message, fix);

    private static ConfigDiagnostic Warning(string display, string path, string message, string? fix = null) => new(DiagnosticSeverity.Warning, display, path, message, fix);
}

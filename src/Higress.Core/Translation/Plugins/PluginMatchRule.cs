namespace Higress.Core.Translation.Plugins;

/// <summary>A match rule of an Extension or WasmPlugin: the routes and domains it selects and its variant.</summary>
internal sealed record PluginMatchRule(IReadOnlySet<string> Routes, IReadOnlyList<string> Domains, PluginVariant Variant);

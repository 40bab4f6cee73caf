using Higress.Core.Plugins;
using Higress.Core.Resources;

namespace Higress.Core.Translation.Plugins;

/// <summary>
/// One configuration of a plugin instance (its default config or a match rule's), parsed once per plan.
/// <see cref="Disabled"/> variants switch the plugin off where they apply (<c>configDisable</c>).
/// </summary>
internal sealed record PluginVariant(string ConfigJson, object? Config, string? Problem, bool Disabled)
{
    public static PluginVariant Off { get; } = new("{}", null, null, true);

    public bool IsUsable => !Disabled && Problem is null;
}

/// <summary>A match rule of an Extension or WasmPlugin: the routes and domains it selects and its variant.</summary>
internal sealed record PluginMatchRule(IReadOnlySet<string> Routes, IReadOnlyList<string> Domains, PluginVariant Variant);

/// <summary>What a <c>targetRefs</c> entry selects, within the instance's namespace.</summary>
internal sealed record PluginTargetRef(string Kind, string Name);

/// <summary>An Extension or WasmPlugin, normalized and with every config parsed.</summary>
internal sealed record PluginSource(
    string Namespace,
    string InstanceId,
    string PluginName,
    IHigressPlugin? Plugin,
    PluginPhase Phase,
    int Priority,
    FailStrategy FailStrategy,
    PluginVariant? Default,
    IReadOnlyList<PluginTargetRef>? TargetRefs,
    IReadOnlyList<PluginMatchRule> MatchRules);

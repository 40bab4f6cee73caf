using Higress.Core.Plugins;
using Higress.Core.Resources;

namespace Higress.Core.Translation.Plugins;

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

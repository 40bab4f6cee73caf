namespace Higress.Core.Translation.Plugins;

/// <summary>What a <c>targetRefs</c> entry selects, within the instance's namespace.</summary>
internal sealed record PluginTargetRef(string Kind, string Name);

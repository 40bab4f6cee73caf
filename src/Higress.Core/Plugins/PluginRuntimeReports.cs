using System.Collections.Concurrent;
using Higress.Core.Resources;

namespace Higress.Core.Plugins;

/// <summary>
/// Problems a plugin instance finds after its config was applied (a watched policy that stopped compiling, a bundle
/// that cannot be fetched), which no translation can see. Plugins report and clear them here; <c>/config_dump</c> lists
/// them with the translation's diagnostics and marks the configuring object's status. One per host (a DI singleton).
/// </summary>
internal sealed class PluginRuntimeReports
{
    /// <summary>The status condition set on an object with an open report.</summary>
    public const string ConditionType = "PluginRuntimeHealthy";

    private readonly ConcurrentDictionary<(string Owner, string Key), ConfigDiagnostic> _reports = new();

    /// <summary>Reports (or replaces) the problem <paramref name="key"/> of <paramref name="instanceId"/>.</summary>
    /// <param name="instanceId">The configuring object, e.g. <c>Extension default/opa</c> (a <c>#field</c> suffix is dropped).</param>
    /// <param name="key">What the problem is about, e.g. the policy source; one report per key.</param>
    /// <param name="fieldPath">The config field, e.g. <c>spec.config.directory</c>.</param>
    /// <param name="message">What is wrong (with file:line:col where there is one).</param>
    /// <param name="fix">How to fix it.</param>
    public void Report(string instanceId, string key, string fieldPath, string message, string fix) =>
        _reports[(instanceId, key)] = new ConfigDiagnostic(DiagnosticSeverity.Error, ObjectOf(instanceId), fieldPath, message, fix);

    /// <summary>Clears the problem <paramref name="key"/> of <paramref name="instanceId"/>, if any.</summary>
    public void Clear(string instanceId, string key) => _reports.TryRemove((instanceId, key), out _);

    /// <summary>The open reports, ordered by object.</summary>
    public IReadOnlyList<ConfigDiagnostic> Current =>
        [.. _reports.Values.OrderBy(d => d.Object, StringComparer.Ordinal).ThenBy(d => d.Message, StringComparer.Ordinal)];

    private static string ObjectOf(string instanceId)
    {
        var hash = instanceId.IndexOf('#', StringComparison.Ordinal);
        return hash < 0 ? instanceId : instanceId[..hash];
    }
}

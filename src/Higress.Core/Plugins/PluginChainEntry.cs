using Higress.Core.Plan;

namespace Higress.Core.Plugins;

/// <summary>
/// One plugin instance ready to run. <see cref="Plugin"/> is null when the instance could not be built at plan
/// apply (unknown plugin, invalid config); such an entry answers 500 (it only exists for FAIL_CLOSE bindings).
/// </summary>
internal sealed class PluginChainEntry
{
    public PluginChainEntry(PluginBinding binding, IHigressPlugin? plugin, object? config, string? problem, object? state = null)
    {
        State = state;
        Binding = binding;
        Plugin = plugin;
        Config = config;
        Problem = problem;
    }

    public PluginBinding Binding { get; }

    public IHigressPlugin? Plugin { get; }

    public object? Config { get; }

    public string? Problem { get; }

    /// <summary>True when the entry is unusable because its config is invalid (not because its plugin is unknown).</summary>
    public bool IsInvalidConfig { get; init; }

    /// <summary>The instance's long-lived state (see <see cref="IHigressPlugin.CreateState"/>), or null.</summary>
    public object? State { get; }
}

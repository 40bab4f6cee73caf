using Higress.Core.Plan;

namespace Higress.Core.Plugins;

/// <summary>
/// The one execution order: phase (AUTHN, AUTHZ, STATS, unspecified), then priority (higher first), then
/// plugin name, then instance id, so that the order never depends on registration or file order.
/// </summary>
internal sealed class PluginOrder : IComparer<PluginBinding>
{
    public static PluginOrder Instance { get; } = new();

    public int Compare(PluginBinding? x, PluginBinding? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null)
        {
            return -1;
        }

        if (y is null)
        {
            return 1;
        }

        var result = x.Phase.CompareTo(y.Phase);
        if (result == 0)
        {
            result = y.Priority.CompareTo(x.Priority);
        }

        if (result == 0)
        {
            result = string.CompareOrdinal(x.Name, y.Name);
        }

        return result != 0 ? result : string.CompareOrdinal(x.InstanceId, y.InstanceId);
    }
}

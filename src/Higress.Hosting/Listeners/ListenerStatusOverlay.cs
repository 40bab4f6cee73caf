using Higress.Core.Resources;
using Higress.Core.Translation;

namespace Higress.Hosting.Listeners;

/// <summary>
/// Lays the runtime's listener state over the translator's statuses. The translator is pure and reports a listener
/// <c>Programmed</c> when its configuration is valid; whether its port could be opened is only known here, so every
/// reader of statuses (<c>/config_dump</c>, the Kubernetes status writer) takes them through this overlay.
/// </summary>
internal static class ListenerStatusOverlay
{
    /// <summary>Gateway API's listener reason for a port that cannot be used.</summary>
    public const string PortUnavailable = "PortUnavailable";

    /// <summary>
    /// Returns <paramref name="statuses"/> with each listener on a failed endpoint (and its Gateway) marked
    /// <c>Programmed: false</c> (<c>PortUnavailable</c>, with the OS reason and the fix), and each listener whose
    /// endpoint is still opening marked <c>Programmed: false</c> (<c>Pending</c>).
    /// </summary>
    public static EquatableArray<ObjectStatus> Apply(EquatableArray<ObjectStatus> statuses, IReadOnlyList<ListenerEndpointStatus> endpoints)
    {
        var byGateway = new Dictionary<string, List<(string Listener, StatusCondition Condition)>>(StringComparer.Ordinal);
        foreach (var status in endpoints.Where(e => e.State != ListenerEndpointState.Open && !e.Endpoint.IsAdmin))
        {
            var endpoint = status.Endpoint;
            var condition = status.State == ListenerEndpointState.Failed
                ? new StatusCondition("Programmed", false, PortUnavailable, $"{endpoint.Display} cannot be opened: {status.Reason}")
                : new StatusCondition("Programmed", false, "Pending", $"{endpoint.Display} is opening");
            foreach (var listener in endpoint.Listeners)
            {
                var gateway = listener.Gateway.ToString();
                if (!byGateway.TryGetValue(gateway, out var list))
                {
                    byGateway[gateway] = list = [];
                }

                list.Add(("listener " + listener.Name, condition));
            }
        }

        if (byGateway.Count == 0)
        {
            return statuses;
        }

        return statuses.Select(s => byGateway.TryGetValue(s.Object, out var failed) ? Overlay(s, failed) : s).ToEquatableArray();
    }

    private static ObjectStatus Overlay(ObjectStatus status, List<(string Listener, StatusCondition Condition)> failed)
    {
        var parents = status.Parents.ToList();
        foreach (var (listener, condition) in failed)
        {
            var index = parents.FindIndex(p => p.Parent == listener);
            if (index >= 0)
            {
                parents[index] = parents[index] with { Conditions = Replace(parents[index].Conditions, condition) };
            }
            else
            {
                parents.Add(new ParentStatus(listener, new[] { condition }.ToEquatableArray()));
            }
        }

        var unavailable = failed.Where(f => f.Condition.Reason == PortUnavailable).ToList();
        var gateway = unavailable.Count > 0
            ? new StatusCondition("Programmed", false, PortUnavailable, string.Join("; ", unavailable.Select(f => $"{f.Listener}: {f.Condition.Message}")))
            : new StatusCondition("Programmed", false, "Pending", string.Join("; ", failed.Select(f => $"{f.Listener}: {f.Condition.Message}")));
        return status with { Conditions = Replace(status.Conditions, gateway), Parents = parents.ToEquatableArray() };
    }

    private static EquatableArray<StatusCondition> Replace(EquatableArray<StatusCondition> conditions, StatusCondition condition) =>
        conditions.Any(c => c.Type == condition.Type)
            ? conditions.Select(c => c.Type == condition.Type ? condition : c).ToEquatableArray()
            : conditions.Append(condition).ToEquatableArray();
}

using System.Text.Json;
using Higress.Core.Plan;
using Higress.Hosting.Runtime;

namespace Higress.Hosting.Admin;

/// <summary>
/// Writes <c>/routes</c>: the route table of the plan being served, in the order requests try it
/// (<see cref="Core.Routing.RouteTable.InMatchOrder"/>): for each entry the listener, the hostname, the match, the rule
/// and what it does (the clusters it forwards to, or its local answer). Header and query values that look secret are
/// redacted, as in <c>/config_dump</c>.
/// </summary>
internal static class RouteListing
{
    public static Task WriteAsync(Stream body, RuntimeState state, CancellationToken cancellationToken)
    {
        var order = 0;
        return AdminJson.WriteListAsync(body, state.Plan.Generation, "routes", state.Table.InMatchOrder(), (writer, entry) =>
        {
            var route = entry.Route;
            writer.WriteNumber("order", order++);
            writer.WriteString("listener", entry.Listener.Id);
            writer.WriteString("gateway", entry.Listener.Gateway.ToString());
            writer.WriteNumber("port", entry.Listener.Port);
            writer.WriteString("host", entry.HostKey ?? "*");
            writer.WritePropertyName("match");
            ConfigDump.ToRedactedNode(entry.Match)!.WriteTo(writer);
            writer.WriteString("rule", route.Id);
            writer.WriteString("ruleName", route.RuleName);
            writer.WriteString("source", route.Source.ToString());
            WriteAction(writer, route.Action);
            writer.WriteStartArray("plugins");
            foreach (var plugin in route.Plugins)
            {
                writer.WriteStringValue(plugin.Name);
            }

            writer.WriteEndArray();
        }, cancellationToken);
    }

    private static void WriteAction(Utf8JsonWriter writer, RouteAction action)
    {
        switch (action)
        {
            case ForwardAction forward:
                writer.WriteString("action", "forward");
                writer.WriteStartArray("backends");
                foreach (var backend in forward.Backends)
                {
                    writer.WriteStartObject();
                    writer.WriteString("cluster", backend.ClusterId);
                    writer.WriteNumber("weight", backend.Weight);
                    if (backend.Error is not null)
                    {
                        writer.WriteString("error", backend.Error);
                    }

                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                break;
            case RedirectAction redirect:
                writer.WriteString("action", "redirect");
                writer.WriteNumber("status", redirect.StatusCode);
                break;
            case DirectResponseAction direct:
                writer.WriteString("action", "directResponse");
                writer.WriteNumber("status", direct.StatusCode);
                break;
            default:
                writer.WriteString("action", action.GetType().Name);
                break;
        }
    }
}

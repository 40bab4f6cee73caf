using System.Globalization;
using System.Text.Json.Nodes;
using Higress.Core.Translation;
using Higress.Kubernetes.Watching;

namespace Higress.Kubernetes.Status;

/// <summary>
/// Turns the translator's <see cref="ObjectStatus"/> into the <c>status</c> an object of a watched kind carries, in
/// that kind's shape: the native kinds get <c>observedGeneration</c> and <c>conditions</c> (a native Gateway also
/// <c>listeners[]</c>; a native Route's per-Gateway conditions are folded into its own), a Gateway API Gateway its
/// conditions and <c>listeners[]</c> (name, supportedKinds, attachedRoutes, conditions), an HTTPRoute or GRPCRoute its
/// <c>parents[]</c> with our <c>controllerName</c> (entries of other controllers are kept), and a GatewayClass of our
/// controller <c>Accepted</c>. Pure: the clock comes in as <c>now</c>, and a condition whose status did not change
/// keeps the <c>lastTransitionTime</c> the object already holds, so that an unchanged status compares equal.
/// </summary>
internal static class StatusDocument
{
    /// <summary>metav1.Condition's limits: at most 8 conditions in the CRDs, messages up to 32768 characters.</summary>
    private const int MaxConditions = 8;
    private const int MaxMessage = 32768;

    /// <summary>The kinds whose status the gateway writes (their <c>/status</c> subresource is what RBAC grants).</summary>
    public static bool Writes(WatchedKind kind) =>
        kind.Group is "networking.higress.io" or "gateway.networking.k8s.io" && kind.Kind != "ReferenceGrant";

    /// <summary>
    /// The status to write for <paramref name="watched"/>, or null when it is not the gateway's to write (a Gateway API
    /// object of another controller).
    /// </summary>
    /// <param name="kind">The object's kind.</param>
    /// <param name="watched">The object as last watched (its current status, generation and spec).</param>
    /// <param name="status">What the translator said about it; null when it said nothing.</param>
    /// <param name="controllerName">This gateway's controller name (<c>higress.io/gateway-controller</c>).</param>
    /// <param name="now">The time a changed condition transitions at.</param>
    public static JsonObject? Build(WatchedKind kind, WatchedObject watched, ObjectStatus? status, string controllerName, DateTimeOffset now)
    {
        var current = watched.Status is null ? null : JsonNode.Parse(watched.Status) as JsonObject;
        var generation = status is { Generation: > 0 } ? status.Generation : watched.Generation;
        var writer = new ConditionWriter(generation, now);
        if (kind.Group == "networking.higress.io")
        {
            return status is null ? null : Native(kind, status, current, writer, watched);
        }

        var spec = JsonNode.Parse(watched.Normalized)?["spec"] as JsonObject ?? [];
        return kind.Kind switch
        {
            "GatewayClass" => (string?)spec["controllerName"] != controllerName ? null : new JsonObject
            {
                ["conditions"] = writer.Write([new StatusCondition("Accepted", true, "Accepted", $"handled by {controllerName}")], current?["conditions"]),
            },
            "Gateway" when status is not null => new JsonObject
            {
                ["conditions"] = writer.Write(WithDefaults(status.Conditions, withResolvedRefs: false), current?["conditions"]),
                ["listeners"] = Listeners(spec, status, current, writer),
            },
            "HTTPRoute" or "GRPCRoute" when status is not null => RouteParents(spec, watched, status, current, controllerName, writer),
            _ => null,
        };
    }

    /// <summary>Compares the fields of <paramref name="desired"/> with the same fields of the object's current status.</summary>
    public static bool Holds(string? current, JsonObject desired)
    {
        var node = current is null ? null : JsonNode.Parse(current) as JsonObject;
        return node is not null && desired.All(field => Canonical(field.Value) == Canonical(node[field.Key]));
    }

    /// <summary>JSON text with object keys sorted, so that key order (the API server's or ours) never counts as a change.</summary>
    public static string Canonical(JsonNode? node) => node switch
    {
        JsonObject o => "{" + string.Join(",", o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"\"{p.Key}\":{Canonical(p.Value)}")) + "}",
        JsonArray a => "[" + string.Join(",", a.Select(Canonical)) + "]",
        null => "null",
        _ => node.ToJsonString(),
    };

    private static JsonObject Native(WatchedKind kind, ObjectStatus status, JsonObject? current, ConditionWriter writer, WatchedObject watched)
    {
        var own = status.Conditions.ToList();
        var gateways = status.Parents.Where(p => p.Parent.StartsWith("Gateway ", StringComparison.Ordinal)).ToList();
        foreach (var type in gateways.SelectMany(p => p.Conditions).Select(c => c.Type).Distinct(StringComparer.Ordinal).ToList())
        {
            if (own.Exists(c => c.Type == type))
            {
                continue;
            }

            // A native Route's CRD status has no parents[]: one condition per type, false when any Gateway says false.
            var per = gateways.SelectMany(p => p.Conditions.Where(c => c.Type == type).Select(c => (p.Parent, Condition: c))).ToList();
            var failed = per.Where(p => !p.Condition.Status).ToList();
            var shown = failed.Count > 0 ? failed : per;
            own.Add(new StatusCondition(type, failed.Count == 0, shown[0].Condition.Reason, string.Join("; ", shown.Select(p => $"{p.Parent}: {p.Condition.Message}"))));
        }

        var result = new JsonObject
        {
            ["observedGeneration"] = writer.Generation,
            ["conditions"] = writer.Write(WithDefaults(own, withResolvedRefs: true), current?["conditions"]),
        };
        if (kind.Kind == "Gateway")
        {
            result["listeners"] = Listeners(JsonNode.Parse(watched.Normalized)?["spec"] as JsonObject ?? [], status, current, writer);
        }

        return result;
    }

    /// <summary>Adds the conditions every object carries when the translator left them out: Accepted, ResolvedRefs, Programmed.</summary>
    private static List<StatusCondition> WithDefaults(IEnumerable<StatusCondition> conditions, bool withResolvedRefs)
    {
        var list = conditions.ToList();
        if (!list.Exists(c => c.Type == "Accepted"))
        {
            list.Insert(0, new StatusCondition("Accepted", true, "Accepted", "read and translated without errors"));
        }

        if (withResolvedRefs && !list.Exists(c => c.Type == "ResolvedRefs"))
        {
            list.Add(new StatusCondition("ResolvedRefs", true, "ResolvedRefs", "all references resolved"));
        }

        if (!list.Exists(c => c.Type == "Programmed"))
        {
            var failed = list.Where(c => !c.Status && c.Type is "Accepted" or "ResolvedRefs").Select(c => c.Type).ToList();
            list.Add(failed.Count == 0
                ? new StatusCondition("Programmed", true, "Programmed", "in the applied configuration")
                : new StatusCondition("Programmed", false, "Invalid", $"not served as written: see {string.Join(" and ", failed)}"));
        }

        return list;
    }

    private static JsonArray Listeners(JsonObject spec, ObjectStatus status, JsonObject? current, ConditionWriter writer)
    {
        var result = new JsonArray();
        var listeners = (spec["listeners"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        for (var i = 0; i < listeners.Count; i++)
        {
            var listener = listeners[i];
            var protocol = (string?)listener["protocol"] ?? "HTTP";
            var name = (string?)listener["name"] ?? $"{protocol.ToLowerInvariant()}-{listener["port"]}";
            var parent = status.Parents.FirstOrDefault(p => p.Parent == "listener " + name);
            var old = (current?["listeners"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(l => (string?)l["name"] == name);
            var entry = new JsonObject { ["name"] = name };
            if (status.Parents.Count > 0 && IsGatewayApi(spec))
            {
                entry["supportedKinds"] = SupportedKinds(listener, protocol);
            }

            entry["attachedRoutes"] = parent?.AttachedRoutes ?? 0;
            entry["conditions"] = writer.Write(WithDefaults(parent?.Conditions ?? [], withResolvedRefs: true), old?["conditions"]);
            result.Add(entry);
        }

        return result;
    }

    /// <summary>A Gateway API Gateway names its class; a native one does not (its CRD has no supportedKinds).</summary>
    private static bool IsGatewayApi(JsonObject spec) => spec["gatewayClassName"] is not null;

    private static JsonArray SupportedKinds(JsonObject listener, string protocol)
    {
        var kinds = (listener["allowedRoutes"]?["kinds"] as JsonArray)?.OfType<JsonObject>().Select(k => (string?)k["kind"]).OfType<string>().ToList()
            ?? protocol.ToUpperInvariant() switch
            {
                "HTTP" or "HTTPS" => ["HTTPRoute", "GRPCRoute"],
                "TLS" => ["TLSRoute"],
                "TCP" => ["TCPRoute"],
                "UDP" => ["UDPRoute"],
                _ => [],
            };
        return [.. kinds.Select(k => (JsonNode)new JsonObject { ["group"] = "gateway.networking.k8s.io", ["kind"] = k })];
    }

    private static JsonObject? RouteParents(JsonObject spec, WatchedObject watched, ObjectStatus status, JsonObject? current, string controllerName, ConditionWriter writer)
    {
        var routeNamespace = watched.Key.Contains('/', StringComparison.Ordinal) ? watched.Key[..watched.Key.IndexOf('/', StringComparison.Ordinal)] : string.Empty;
        var oldParents = (current?["parents"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var parents = new JsonArray();
        foreach (var other in oldParents.Where(p => (string?)p["controllerName"] != controllerName))
        {
            parents.Add(other.DeepClone());
        }

        var ours = 0;
        foreach (var reference in (spec["parentRefs"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var key = ParentKey(reference, routeNamespace);
            var parent = status.Parents.FirstOrDefault(p => p.Parent == key);
            var dropped = parent is null && status.Conditions.Any(c => !c.Status) && ((string?)reference["kind"] ?? "Gateway") == "Gateway";
            if (parent is null && !dropped)
            {
                continue;
            }

            // The route's own conditions (a rule that failed, a field not enforced) hold for each of its parents.
            var conditions = (parent?.Conditions ?? []).ToList();
            conditions.AddRange(status.Conditions.Where(c => !conditions.Exists(p => p.Type == c.Type)));
            var old = oldParents.FirstOrDefault(p => (string?)p["controllerName"] == controllerName && Canonical(p["parentRef"]) == Canonical(reference));
            parents.Add(new JsonObject
            {
                ["parentRef"] = reference.DeepClone(),
                ["controllerName"] = controllerName,
                ["conditions"] = writer.Write(WithDefaults(conditions, withResolvedRefs: true), old?["conditions"]),
            });
            ours++;
        }

        return ours == 0 ? null : new JsonObject { ["parents"] = parents };
    }

    /// <summary>The translator's name for a parent: <c>Gateway ns/name[/section][:port]</c>.</summary>
    private static string ParentKey(JsonObject reference, string routeNamespace)
    {
        var section = (string?)reference["sectionName"];
        var port = reference["port"]?.ToJsonString();
        return $"Gateway {(string?)reference["namespace"] ?? routeNamespace}/{(string?)reference["name"]}"
            + (section is null ? string.Empty : "/" + section) + (port is null ? string.Empty : ":" + port);
    }

    /// <summary>Writes metav1.Condition entries, keeping the old transition time of a condition whose status is unchanged.</summary>
    private sealed class ConditionWriter(long generation, DateTimeOffset now)
    {
        public long Generation { get; } = generation;

        public JsonArray Write(IEnumerable<StatusCondition> conditions, JsonNode? old)
        {
            var previous = (old as JsonArray ?? []).OfType<JsonObject>().ToList();
            var result = new JsonArray();
            foreach (var condition in conditions.DistinctBy(c => c.Type).Take(MaxConditions))
            {
                var text = condition.Status ? "True" : "False";
                var before = previous.FirstOrDefault(p => (string?)p["type"] == condition.Type);
                var since = before is not null && (string?)before["status"] == text && (string?)before["lastTransitionTime"] is { } kept
                    ? kept
                    : now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
                result.Add(new JsonObject
                {
                    ["type"] = condition.Type,
                    ["status"] = text,
                    ["observedGeneration"] = Generation,
                    ["lastTransitionTime"] = since,
                    ["reason"] = condition.Reason,
                    ["message"] = condition.Message.Length > MaxMessage ? condition.Message[..MaxMessage] : condition.Message,
                });
            }

            return result;
        }
    }
}

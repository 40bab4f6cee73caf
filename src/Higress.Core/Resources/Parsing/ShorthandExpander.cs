using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace Higress.Core.Resources.Parsing;

/// <summary>
/// Expands the appsettings shorthand for small hosts into the Kubernetes-shaped objects every source speaks:
/// each <c>Backends:&lt;name&gt;</c> becomes a Service (port 80, named <c>http</c>) with one EndpointSlice per
/// endpoint port, and each <c>Routes:&lt;name&gt;</c> a Route, plus a Gateway <c>appsettings-&lt;port&gt;</c> when the
/// route names a <c>Port</c>. Each object's origin is the shorthand key, so errors and last-good retention work per
/// key. A key with errors yields no objects, only diagnostics.
/// </summary>
internal static class ShorthandExpander
{
    /// <summary>The Service port every shorthand backend exposes; routes reach it through this port.</summary>
    public const int ServicePort = 80;

    internal static readonly string[] BackendFields = ["Addresses", "Protocol"];
    internal static readonly string[] RouteFields = ["Backend", "Port", "Path", "Hosts", "Timeout"];
    private static readonly Dictionary<string, string> Protocols = new(StringComparer.OrdinalIgnoreCase)
    {
        ["http"] = "http",
        ["https"] = "https",
        ["h2c"] = "kubernetes.io/h2c",
    };

    /// <summary>Expands the <c>Backends</c> and <c>Routes</c> sections (each null when absent).</summary>
    /// <param name="backends">The <c>Backends</c> section as JSON.</param>
    /// <param name="routes">The <c>Routes</c> section as JSON.</param>
    /// <param name="prefix">The configuration path of the section holding both, with a trailing colon (<c>Higress:</c>).</param>
    /// <param name="sourceName">The source's name, for origins.</param>
    public static ParseResult Expand(JsonNode? backends, JsonNode? routes, string prefix, string sourceName)
    {
        var resources = new List<Resource>();
        var diagnostics = new List<ConfigDiagnostic>();
        var backendNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, node) in Entries(backends, prefix + "Backends", "named backends: \"Backends\": { \"orders\": { \"Addresses\": [\"127.0.0.1:5001\"] } }", diagnostics))
        {
            backendNames.Add(name);
            var key = $"{prefix}Backends:{name}";
            var objects = new Entry(key, node, diagnostics).Backend(name);
            Parse(objects, key, sourceName, resources, diagnostics);
        }

        var gateways = new HashSet<int>();
        foreach (var (name, node) in Entries(routes, prefix + "Routes", "named routes: \"Routes\": { \"orders\": { \"Port\": 8080, \"Path\": \"/orders\", \"Backend\": \"orders\" } }", diagnostics))
        {
            var key = $"{prefix}Routes:{name}";
            var objects = new Entry(key, node, diagnostics).Route(name, backendNames, prefix + "Backends", out var port);
            if (objects.Count > 0 && port is { } p && gateways.Add(p))
            {
                objects.Add(Gateway(p));
            }

            Parse(objects, key, sourceName, resources, diagnostics);
        }

        return new ParseResult(resources, diagnostics);
    }

    /// <summary>The name of the Gateway declared for shorthand routes on <paramref name="port"/>.</summary>
    public static string GatewayName(int port) => "appsettings-" + port.ToString(CultureInfo.InvariantCulture);

    private static IEnumerable<(string Name, JsonNode? Node)> Entries(JsonNode? section, string path, string example, List<ConfigDiagnostic> diagnostics)
    {
        if (section is null)
        {
            return [];
        }

        if (section is not JsonObject obj)
        {
            diagnostics.Add(new(DiagnosticSeverity.Error, path, string.Empty, $"expected named entries, got {JsonBinder.Describe(section)}", "write " + example, path));
            return [];
        }

        return obj.Select(p => (p.Key, p.Value));
    }

    private static void Parse(List<JsonObject> objects, string key, string sourceName, List<Resource> resources, List<ConfigDiagnostic> diagnostics)
    {
        if (objects.Count == 0)
        {
            return;
        }

        var parsed = ResourceParser.ParseNodes(objects, new ResourceOrigin(sourceName, key, 0, 0), stringScalars: true);
        resources.AddRange(parsed.Resources);
        diagnostics.AddRange(parsed.Diagnostics);
    }

    private static JsonObject Gateway(int port) => new()
    {
        ["apiVersion"] = ResourceKinds.HigressNetworkingV1Alpha1,
        ["kind"] = "Gateway",
        ["metadata"] = new JsonObject { ["name"] = GatewayName(port) },
        ["spec"] = new JsonObject { ["listeners"] = new JsonArray(new JsonObject { ["protocol"] = "HTTP", ["port"] = port }) },
    };

    /// <summary>One shorthand entry: reads its fields case-insensitively (as configuration keys are) and reports problems under its key.</summary>
    private sealed class Entry
    {
        private readonly string _key;
        private readonly JsonObject? _node;
        private readonly List<ConfigDiagnostic> _diagnostics;
        private bool _failed;

        public Entry(string key, JsonNode? node, List<ConfigDiagnostic> diagnostics)
        {
            _key = key;
            _diagnostics = diagnostics;
            _node = node as JsonObject;
            if (_node is null)
            {
                Error(string.Empty, $"expected an object, got {JsonBinder.Describe(node)}", "write the entry's fields as an object");
            }
        }

        public List<JsonObject> Backend(string name)
        {
            if (_failed)
            {
                return [];
            }

            CheckFields(BackendFields);
            var addresses = Strings("Addresses", required: true);
            var protocol = Text("Protocol") ?? "http";
            if (!Protocols.TryGetValue(protocol, out var appProtocol))
            {
                Error("Protocol", $"'{protocol}' is not a backend protocol", "use http, https or h2c");
            }

            var endpoints = new List<(int Port, string Type, string Host)>();
            for (var i = 0; i < addresses.Count; i++)
            {
                if (Endpoint(addresses[i]) is { } endpoint)
                {
                    endpoints.Add(endpoint);
                }
                else
                {
                    Error($"Addresses[{i}]", $"'{addresses[i]}' is not host:port", "write an address such as 127.0.0.1:5001, [::1]:5001 or orders.internal:80");
                }
            }

            if (_failed)
            {
                return [];
            }

            var objects = new List<JsonObject>
            {
                Object(ResourceKinds.CoreV1, "Service", name, new JsonObject
                {
                    ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["port"] = ServicePort, ["appProtocol"] = appProtocol }),
                }),
            };
            foreach (var slice in endpoints.GroupBy(e => (e.Port, e.Type)))
            {
                var sliceName = $"{name}-{slice.Key.Port.ToString(CultureInfo.InvariantCulture)}{(slice.Key.Type == "IPv4" ? string.Empty : "-" + slice.Key.Type.ToLowerInvariant())}";
                var obj = Object(ResourceKinds.DiscoveryV1, "EndpointSlice", sliceName, null);
                ((JsonObject)obj["metadata"]!)["labels"] = new JsonObject { [EndpointSlice.ServiceNameLabel] = name };
                obj["addressType"] = slice.Key.Type;
                obj["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["port"] = slice.Key.Port });
                obj["endpoints"] = new JsonArray([.. slice.Select(e => (JsonNode)new JsonObject { ["addresses"] = new JsonArray(e.Host) })]);
                objects.Add(obj);
            }

            return objects;
        }

        public List<JsonObject> Route(string name, HashSet<string> backends, string backendsPath, out int? port)
        {
            port = null;
            if (_failed)
            {
                return [];
            }

            CheckFields(RouteFields);
            var backend = Text("Backend");
            if (backend is null)
            {
                Error("Backend", "'Backend' is required", $"name an entry of {backendsPath}");
            }
            else if (!backends.TryGetValue(backend, out backend))
            {
                var known = backends.Count == 0 ? "none is declared" : "declared: " + string.Join(", ", backends.Order(StringComparer.Ordinal));
                Error("Backend", $"'{Text("Backend")}' is not a backend in {backendsPath} ({known})", $"add it to {backendsPath} or fix the name");
            }

            if (Text("Port") is { } portText)
            {
                if (int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p is >= 1 and <= 65535)
                {
                    port = p;
                }
                else
                {
                    Error("Port", $"'{portText}' is not a port", "write a number from 1 to 65535, e.g. 8080");
                }
            }

            var path = Text("Path") ?? "/";
            if (!path.StartsWith('/'))
            {
                Error("Path", $"'{path}' is not a path", "start the path prefix with '/', e.g. /orders");
            }

            var timeout = Text("Timeout");
            if (timeout is not null && !DurationParser.TryParse(timeout, out _))
            {
                Error("Timeout", $"'{timeout}' is not a duration", "write a duration such as 10s or 500ms");
            }

            var hosts = Strings("Hosts", required: false);
            if (_failed)
            {
                return [];
            }

            var rule = new JsonObject
            {
                ["name"] = name,
                ["match"] = new JsonArray(new JsonObject { ["uri"] = new JsonObject { ["prefix"] = path } }),
                ["route"] = new JsonArray(new JsonObject { ["destination"] = new JsonObject { ["host"] = backend, ["port"] = ServicePort } }),
            };
            if (timeout is not null)
            {
                rule["timeout"] = timeout;
            }

            var spec = new JsonObject { ["http"] = new JsonArray(rule) };
            if (port is { } gatewayPort)
            {
                spec["gateways"] = new JsonArray(GatewayName(gatewayPort));
            }

            if (hosts.Count > 0)
            {
                spec["hosts"] = new JsonArray([.. hosts.Select(h => (JsonNode)JsonValue.Create(h))]);
            }

            return [Object(ResourceKinds.HigressNetworkingV1Alpha1, "Route", name, spec)];
        }

        private static JsonObject Object(string apiVersion, string kind, string name, JsonObject? spec)
        {
            var obj = new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind, ["metadata"] = new JsonObject { ["name"] = name } };
            if (spec is not null)
            {
                obj["spec"] = spec;
            }

            return obj;
        }

        private static (int Port, string Type, string Host)? Endpoint(string address)
        {
            string host;
            string portText;
            if (address.StartsWith('['))
            {
                var close = address.IndexOf("]:", StringComparison.Ordinal);
                if (close < 0)
                {
                    return null;
                }

                host = address[1..close];
                portText = address[(close + 2)..];
            }
            else
            {
                var colon = address.LastIndexOf(':');
                if (colon <= 0 || address.IndexOf(':', StringComparison.Ordinal) != colon)
                {
                    return null;
                }

                host = address[..colon];
                portText = address[(colon + 1)..];
            }

            if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            {
                return null;
            }

            if (IPAddress.TryParse(host, out var ip))
            {
                return (port, ip.AddressFamily == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4", ip.ToString());
            }

            return Uri.CheckHostName(host) == UriHostNameType.Dns ? (port, "FQDN", host) : null;
        }

        private void CheckFields(string[] known)
        {
            foreach (var (field, _) in _node ?? [])
            {
                if (!known.Contains(field, StringComparer.OrdinalIgnoreCase))
                {
                    Error(field, $"'{field}' is not a field here", FieldSuggestions.Suggest(field, known));
                }
            }
        }

        private JsonNode? Field(string name) =>
            _node?.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

        private string? Text(string name)
        {
            var node = Field(name);
            if (node is JsonValue value)
            {
                return JsonBinder.ScalarText(value);
            }

            if (node is not null)
            {
                Error(name, $"expected a single value, got {JsonBinder.Describe(node)}", $"write {name} as one value");
            }

            return null;
        }

        private List<string> Strings(string name, bool required)
        {
            var node = Field(name);
            var items = node switch
            {
                JsonArray array => array.Select(n => n is JsonValue v ? JsonBinder.ScalarText(v) : null).ToList(),
                JsonValue value => [JsonBinder.ScalarText(value)],
                _ => [],
            };
            if (items.Any(i => string.IsNullOrEmpty(i)) || (node is not null and not JsonArray and not JsonValue))
            {
                Error(name, "expected a list of text values", $"write {name} as an array of strings");
                return [];
            }

            if (required && items.Count == 0)
            {
                Error(name, $"'{name}' is required", $"list at least one, e.g. \"{name}\": [\"127.0.0.1:5001\"]");
            }

            return items!;
        }

        private void Error(string field, string message, string fix)
        {
            _failed = true;
            _diagnostics.Add(new ConfigDiagnostic(DiagnosticSeverity.Error, _key, field, message, fix, _key + "#1"));
        }
    }
}

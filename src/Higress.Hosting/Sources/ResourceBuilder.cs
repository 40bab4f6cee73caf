using System.Globalization;
using Higress.Core.Resources;
using Higress.Core.Resources.Parsing;

namespace Higress.Hosting.Sources;

/// <summary>
/// Declares objects in code. Every method produces the same <see cref="Resource"/> records a YAML file would:
/// <c>h.AddRoute("orders", r =&gt; r.Host("api.example.com").Match(m =&gt; m.PathPrefix("/orders")).To("orders", 8080))</c>.
/// </summary>
public sealed class ResourceBuilder
{
    private readonly List<Resource> _resources = [];
    private readonly List<ConfigDiagnostic> _diagnostics = [];
    private int _yamlDocuments;

    /// <summary>The source name recorded in the objects' origins.</summary>
    public string SourceName { get; init; } = "code";

    /// <summary>The namespace of objects added without one (default <c>default</c>).</summary>
    public string DefaultNamespace { get; set; } = ResourceMetadata.DefaultNamespace;

    /// <summary>Adds a native Route.</summary>
    /// <param name="name">The route's name.</param>
    /// <param name="configure">Hosts, matches, destinations, policies.</param>
    /// <param name="namespace">The namespace; default <see cref="DefaultNamespace"/>.</param>
    public ResourceBuilder AddRoute(string name, Action<RouteBuilder> configure, string? @namespace = null)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = new RouteBuilder();
        configure(builder);
        return AddResource(new Route { Metadata = Meta(name, @namespace), Spec = builder.Build() });
    }

    /// <summary>Adds a Service with one port and, when <paramref name="endpoints"/> are given, an EndpointSlice named <c>&lt;name&gt;-code</c>.</summary>
    /// <param name="name">The service's name.</param>
    /// <param name="port">The service port.</param>
    /// <param name="endpoints">Endpoints as <c>host:port</c> or <c>host</c> (then the service port).</param>
    /// <param name="namespace">The namespace; default <see cref="DefaultNamespace"/>.</param>
    public ResourceBuilder AddService(string name, int port, IEnumerable<string>? endpoints = null, string? @namespace = null)
    {
        AddResource(new Service { Metadata = Meta(name, @namespace), Spec = new ServiceSpec { Ports = [new ServicePort { Port = port }] } });
        var list = endpoints?.ToList() ?? [];
        if (list.Count == 0)
        {
            return this;
        }

        // A slice has one address type and one port list, so endpoints are grouped by both.
        var groups = list.Select(e => SplitHostPort(e, port)).GroupBy(e => (e.Port, Type: AddressType(e.Host))).ToList();
        for (var i = 0; i < groups.Count; i++)
        {
            var group = groups[i];
            AddResource(new EndpointSlice
            {
                Metadata = Meta(groups.Count == 1 ? $"{name}-code" : $"{name}-code-{i}", @namespace) with { Labels = new Dictionary<string, string> { [EndpointSlice.ServiceNameLabel] = name } },
                AddressType = group.Key.Type,
                Endpoints = group.Select(e => new EndpointSliceEndpoint { Addresses = [e.Host] }).ToEquatableArray(),
                Ports = [new EndpointPort { Port = group.Key.Port }],
            });
        }

        return this;
    }

    /// <summary>Adds a native Gateway.</summary>
    /// <param name="name">The gateway's name.</param>
    /// <param name="configure">Listeners.</param>
    /// <param name="namespace">The namespace; default <see cref="DefaultNamespace"/>.</param>
    public ResourceBuilder AddGateway(string name, Action<GatewayBuilder> configure, string? @namespace = null)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = new GatewayBuilder();
        configure(builder);
        return AddResource(new HigressGateway { Metadata = Meta(name, @namespace), Spec = builder.Build() });
    }

    /// <summary>Adds an Extension (a plugin instance).</summary>
    /// <param name="name">The extension's name.</param>
    /// <param name="plugin">The plugin, e.g. <c>key-auth</c>.</param>
    /// <param name="config">The plugin config: a JSON string, a <see cref="System.Text.Json.Nodes.JsonNode"/>, or any object serialized with System.Text.Json.</param>
    /// <param name="configure">Further settings (phase, priority, targets).</param>
    /// <param name="namespace">The namespace; default <see cref="DefaultNamespace"/>.</param>
    public ResourceBuilder AddExtension(string name, string plugin, object? config = null, Func<ExtensionSpec, ExtensionSpec>? configure = null, string? @namespace = null)
    {
        var spec = new ExtensionSpec { Plugin = plugin, Config = config is null ? null : ToJson(config) };
        return AddResource(new Extension { Metadata = Meta(name, @namespace), Spec = configure?.Invoke(spec) ?? spec });
    }

    /// <summary>Adds any object; it gets this builder's origin.</summary>
    /// <param name="resource">The object.</param>
    public ResourceBuilder AddResource(Resource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        _resources.Add(resource with { Origin = new ResourceOrigin(SourceName, null, _resources.Count, ResourceOrigin.NextReadOrder()) });
        return this;
    }

    /// <summary>Adds the objects of a YAML (or JSON) text; its diagnostics are reported with the source's.</summary>
    /// <param name="yaml">One or more documents.</param>
    public ResourceBuilder AddYaml(string yaml)
    {
        var result = ResourceParser.Parse(yaml, new ResourceOrigin(SourceName, $"yaml#{++_yamlDocuments}", 0, 0));
        _resources.AddRange(result.Resources);
        _diagnostics.AddRange(result.Diagnostics);
        return this;
    }

    internal (IReadOnlyList<Resource> Resources, IReadOnlyList<ConfigDiagnostic> Diagnostics) Build() => (_resources.ToList(), _diagnostics.ToList());

    internal static EquatableJson ToJson(object config) => config switch
    {
        EquatableJson json => json,
        string text => EquatableJson.Parse(text),
        System.Text.Json.Nodes.JsonNode node => EquatableJson.FromNode(node),
        System.Text.Json.JsonElement element => EquatableJson.FromElement(element),
        _ => EquatableJson.FromObject(config),
    };

    private ResourceMetadata Meta(string name, string? @namespace) => new() { Name = name, Namespace = @namespace ?? DefaultNamespace };

    private static string AddressType(string host) =>
        !System.Net.IPAddress.TryParse(host, out var ip) ? "FQDN"
        : ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4";

    private static (string Host, int Port) SplitHostPort(string endpoint, int defaultPort)
    {
        if (endpoint.StartsWith('['))
        {
            // [::1]:5001 or [::1]
            var close = endpoint.IndexOf(']', StringComparison.Ordinal);
            var host = endpoint[1..close];
            return endpoint.Length > close + 2 ? (host, int.Parse(endpoint[(close + 2)..], CultureInfo.InvariantCulture)) : (host, defaultPort);
        }

        var colon = endpoint.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && colon == endpoint.LastIndexOf(':')
            ? (endpoint[..colon], int.Parse(endpoint[(colon + 1)..], CultureInfo.InvariantCulture))
            : (endpoint, defaultPort);
    }
}

using Higress.Core.Resources;

namespace Higress.Kubernetes.Tests.Crds;

/// <summary>A printer column of <c>kubectl get</c>: a JSONPath into the object.</summary>
internal sealed record PrinterColumn(string Name, string Type, string JsonPath, string? Description = null, int Priority = 0);

/// <summary>
/// What a CRD says beyond the schema: names, short names and the columns <c>kubectl get</c> prints. The schema itself
/// comes from the model (<see cref="CrdGenerator"/>).
/// </summary>
internal sealed record CrdKind(Type Model, string Kind, string Plural, string[] ShortNames, PrinterColumn[] Columns)
{
    public const string Group = ResourceKinds.HigressNetworkingGroup;

    public const string Version = "v1alpha1";

    private static readonly PrinterColumn Age = new("Age", "date", ".metadata.creationTimestamp");

    private static readonly PrinterColumn Accepted = new("Accepted", "string", ".status.conditions[?(@.type==\"Accepted\")].status", "Whether the gateway accepted the object (see its conditions).");

    /// <summary>Every networking.higress.io kind. Short names start with <c>h</c>: Istio and the Gateway API own the plain ones.</summary>
    public static readonly CrdKind[] All =
    [
        new(typeof(HigressGateway), "Gateway", "gateways", ["hgw"],
        [
            new("Ports", "string", ".spec.listeners[*].port", "The listeners' ports."),
            new("Protocols", "string", ".spec.listeners[*].protocol", "The listeners' protocols.", 1),
            new("Programmed", "string", ".status.conditions[?(@.type==\"Programmed\")].status", "Whether the listeners are open."),
            Age,
        ]),
        new(typeof(Route), "Route", "routes", ["hrt"],
        [
            new("Hosts", "string", ".spec.hosts", "The hosts matched; empty = any host."),
            new("Gateways", "string", ".spec.gateways", "The gateways attached to; empty = every Gateway of the namespace that allows it."),
            Accepted,
            Age,
        ]),
        new(typeof(ServiceEntry), "ServiceEntry", "serviceentries", ["hse"],
        [
            new("Hosts", "string", ".spec.hosts", "The hosts that name the service."),
            new("Location", "string", ".spec.location", "MESH_EXTERNAL or MESH_INTERNAL."),
            new("Resolution", "string", ".spec.resolution", "How endpoints are found."),
            Age,
        ]),
        new(typeof(Extension), "Extension", "extensions", ["hext"],
        [
            new("Plugin", "string", ".spec.plugin", "The plugin; when empty, inferred from type and config."),
            new("Phase", "string", ".spec.phase", "AUTHN, AUTHZ, STATS or UNSPECIFIED_PHASE."),
            new("Priority", "integer", ".spec.priority", "Higher runs first within a phase."),
            Accepted,
            Age,
        ]),
    ];

    public string Singular => Kind.ToLowerInvariant();

    public string Name => $"{Plural}.{Group}";

    public string FileName => $"{Group}_{Plural}.yaml";
}

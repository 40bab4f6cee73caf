using Higress.Core.Resources.Parsing;

namespace Higress.Core.Resources;

/// <summary>A weighted destination of a native rule.</summary>
public sealed record RouteDestination
{
    /// <summary>Where to send the request.</summary>
    [Required]
    public Destination Destination { get; init; } = new();

    /// <summary>The relative weight (≥ 0); when no destination of a rule has a weight they share traffic equally; weights that sum to 0 are an error.</summary>
    [Range(0, int.MaxValue)]
    public int? Weight { get; init; }

    /// <summary>Header changes for requests to (and responses from) this destination.</summary>
    public HeaderOperations? Headers { get; init; }
}

/// <summary>A service destination: a Service (<c>svc</c>, <c>svc.ns</c>, <c>svc.ns.svc.cluster.local</c>) or a ServiceEntry host.</summary>
public sealed record Destination
{
    /// <summary>The host: a Service name or a ServiceEntry host.</summary>
    [Required]
    public string Host { get; init; } = string.Empty;

    /// <summary>The port: a number, or Istio's <c>{number: 80}</c>; optional when the service has one port.</summary>
    [Port]
    [PortSelector]
    public int? Port { get; init; }

    /// <summary>A ServiceEntry subset name.</summary>
    public string? Subset { get; init; }
}

using Higress.Core.Plan;
using Higress.Core.Resources;

namespace Higress.Hosting.Listeners;

/// <summary>Whether a listener endpoint accepts connections.</summary>
internal enum ListenerEndpointState
{
    /// <summary>Handed to Kestrel, which has not reported it bound yet.</summary>
    Opening,

    /// <summary>Bound by Kestrel in this process.</summary>
    Open,

    /// <summary>Cannot be bound; left out of Kestrel's configuration and retried.</summary>
    Failed,
}

/// <summary>One address and port Higress asks Kestrel to open: a group of gateway listeners, or the admin port.</summary>
/// <param name="Name">The Kestrel endpoint name.</param>
/// <param name="Address">The bind address as configured.</param>
/// <param name="Port">The port.</param>
/// <param name="Scheme"><c>http</c> or <c>https</c>.</param>
/// <param name="Protocols">Kestrel's <c>Protocols</c> value, or null for its default.</param>
/// <param name="Listeners">The gateway listeners served on it (empty for the admin port).</param>
internal sealed record ListenerEndpoint(string Name, string Address, int Port, string Scheme, string? Protocols, EquatableArray<ListenerPlan> Listeners)
{
    /// <summary>True for the admin endpoint.</summary>
    public bool IsAdmin => Listeners.IsEmpty;

    /// <summary><c>address:port</c>, with IPv6 addresses in brackets.</summary>
    public string Display => $"{Host}:{Port}";

    /// <summary>The URL Kestrel binds.</summary>
    public string Url => $"{Scheme}://{Display}";

    /// <summary>What the endpoint serves, for messages: the admin endpoints or the listeners and their gateways.</summary>
    public string Owners => IsAdmin
        ? "the admin endpoints (Higress:Admin:Port)"
        : string.Join(", ", Listeners.Select(l => $"listener {l.Name} of {l.Gateway}"));

    private string Host => Address.Contains(':', StringComparison.Ordinal) && !Address.StartsWith('[') ? $"[{Address}]" : Address;
}

/// <summary>A listener endpoint and its state; <paramref name="Reason"/> says why it is not open, and the fix.</summary>
internal sealed record ListenerEndpointStatus(ListenerEndpoint Endpoint, ListenerEndpointState State, string? Reason);

using Higress.Core.Resources;

namespace Higress.Hosting.Sources;

/// <summary>Builds a native Gateway's listeners.</summary>
public sealed class GatewayBuilder
{
    private readonly List<HigressListener> _listeners = [];

    /// <summary>Adds a listener.</summary>
    /// <param name="protocol">The protocol.</param>
    /// <param name="port">The port.</param>
    /// <param name="hostnames">Hostnames served; none = any.</param>
    /// <param name="name">The name; default <c>&lt;protocol&gt;-&lt;port&gt;</c>.</param>
    /// <param name="allowFrom">Which namespaces may attach routes.</param>
    public GatewayBuilder Listener(HigressListenerProtocol protocol, int port, IEnumerable<string>? hostnames = null, string? name = null, FromNamespaces allowFrom = FromNamespaces.Same)
    {
        var listener = new HigressListener
        {
            Protocol = protocol,
            Port = port,
            Hostnames = [.. hostnames ?? []],
            AllowedRoutes = new AllowedRoutes { Namespaces = new RouteNamespaces { From = allowFrom } },
        };
        _listeners.Add(name is null ? listener : listener with { Name = name });
        return this;
    }

    /// <summary>Adds an HTTP listener.</summary>
    /// <param name="port">The port.</param>
    /// <param name="hostnames">Hostnames served; none = any.</param>
    public GatewayBuilder Http(int port, params string[] hostnames) => Listener(HigressListenerProtocol.HTTP, port, hostnames);

    /// <summary>Adds any listener.</summary>
    /// <param name="listener">The listener.</param>
    public GatewayBuilder Listener(HigressListener listener)
    {
        _listeners.Add(listener);
        return this;
    }

    internal HigressGatewaySpec Build() => new() { Listeners = [.. _listeners] };
}

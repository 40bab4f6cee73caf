namespace Higress.Core.Routing;

/// <summary>
/// The parts of a request that routing looks at. Implemented by a struct over <c>HttpContext</c> in the runtime
/// and by plain objects in tests and the explain API; the matcher is generic over it so that structs are not boxed.
/// </summary>
internal interface IRouteRequest
{
    /// <summary>The local port the request arrived on (selects the listeners).</summary>
    int LocalPort { get; }

    /// <summary>
    /// The local address the request arrived on, which selects between Gateways that share a port on distinct
    /// addresses (<c>spec.addresses</c>); null when unknown (the listeners on the bind address are used).
    /// </summary>
    string? LocalAddress => null;

    /// <summary>The Host header (or :authority), possibly with a port.</summary>
    string Host { get; }

    /// <summary>The decoded request path, as Kestrel presents it.</summary>
    string Path { get; }

    /// <summary>The request method.</summary>
    string Method { get; }

    /// <summary>The raw query string without the leading <c>?</c>.</summary>
    string QueryString { get; }

    /// <summary>Gets a header's value (several values joined by a comma); false when absent.</summary>
    bool TryGetHeader(string name, out string value);
}

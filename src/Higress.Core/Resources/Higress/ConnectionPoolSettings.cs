using Higress.Core.Resources.Parsing;

namespace Higress.Core.Resources;

/// <summary>Connection-pool limits toward an upstream (Istio <c>ConnectionPoolSettings</c>); Envoy's circuit breakers.</summary>
public sealed record ConnectionPoolSettings
{
    /// <summary>TCP-level settings.</summary>
    public TcpConnectionPoolSettings? Tcp { get; init; }

    /// <summary>HTTP-level settings.</summary>
    public HttpConnectionPoolSettings? Http { get; init; }
}

/// <summary>TCP-level connection-pool settings (Istio <c>ConnectionPoolSettings.TCPSettings</c>).</summary>
public sealed record TcpConnectionPoolSettings
{
    /// <summary>The most connections to each destination; for HTTP/1.1, with the pending limit, it bounds requests in flight to the cluster.</summary>
    [Range(1, int.MaxValue)]
    public int? MaxConnections { get; init; }

    /// <summary>The TCP connect timeout, e.g. <c>2s</c>; default 15s.</summary>
    public TimeSpan? ConnectTimeout { get; init; }

    /// <summary>TCP keepalive probes (Istio shape, loosely typed).</summary>
    public EquatableJson? TcpKeepalive { get; init; }

    /// <summary>The longest a connection is kept, however busy; unset = no limit.</summary>
    public TimeSpan? MaxConnectionDuration { get; init; }

    /// <summary>How long an idle connection is kept; default 1m.</summary>
    public TimeSpan? IdleTimeout { get; init; }
}

/// <summary>HTTP-level connection-pool settings (Istio <c>ConnectionPoolSettings.HTTPSettings</c>).</summary>
public sealed record HttpConnectionPoolSettings
{
    /// <summary>The most requests waiting for a connection (HTTP/1.1); beyond it the gateway answers 503 at once.</summary>
    [Range(1, int.MaxValue)]
    public int? Http1MaxPendingRequests { get; init; }

    /// <summary>The most requests in flight to the cluster at once (any protocol, despite the name).</summary>
    [Range(1, int.MaxValue)]
    public int? Http2MaxRequests { get; init; }

    /// <summary>The most requests one connection carries before it is closed; 0 or unset = no limit, 1 = no keep-alive.</summary>
    [Range(0, int.MaxValue)]
    public int? MaxRequestsPerConnection { get; init; }

    /// <summary>The most retries in flight to the cluster at once.</summary>
    [Range(0, int.MaxValue)]
    public int? MaxRetries { get; init; }

    /// <summary>How long a connection with no active request is kept; default 1m.</summary>
    public TimeSpan? IdleTimeout { get; init; }

    /// <summary>Whether HTTP/1.1 connections are upgraded to HTTP/2 (<c>DEFAULT</c> | <c>DO_NOT_UPGRADE</c> | <c>UPGRADE</c>).</summary>
    public string? H2UpgradePolicy { get; init; }

    /// <summary>Use the client's protocol toward the upstream.</summary>
    public bool? UseClientProtocol { get; init; }

    /// <summary>The most concurrent streams on one HTTP/2 connection.</summary>
    [Range(1, int.MaxValue)]
    public int? MaxConcurrentStreams { get; init; }
}

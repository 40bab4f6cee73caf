namespace Higress.Core.Plan;

/// <summary>
/// A cluster's connection-pool limits (ServiceEntry <c>trafficPolicy.connectionPool</c>, Istio's meaning). Null
/// values are "no limit" (Istio's default of 2^32-1) or the runtime's default for timeouts.
/// </summary>
/// <param name="MaxConnections"><c>tcp.maxConnections</c>: connections per destination.</param>
/// <param name="MaxPendingRequests"><c>http.http1MaxPendingRequests</c>: requests waiting for a connection.</param>
/// <param name="MaxRequests"><c>http.http2MaxRequests</c>: requests in flight to the cluster.</param>
/// <param name="MaxRequestsPerConnection"><c>http.maxRequestsPerConnection</c>: requests one connection carries.</param>
/// <param name="MaxRetries"><c>http.maxRetries</c>: retries in flight to the cluster.</param>
/// <param name="IdleTimeout"><c>http.idleTimeout</c> (else <c>tcp.idleTimeout</c>): idle connections are closed after it.</param>
/// <param name="ConnectTimeout"><c>tcp.connectTimeout</c>.</param>
/// <param name="MaxConnectionDuration"><c>tcp.maxConnectionDuration</c>: connections are retired after it.</param>
public sealed record ConnectionPoolPlan(
    int? MaxConnections = null,
    int? MaxPendingRequests = null,
    int? MaxRequests = null,
    int? MaxRequestsPerConnection = null,
    int? MaxRetries = null,
    TimeSpan? IdleTimeout = null,
    TimeSpan? ConnectTimeout = null,
    TimeSpan? MaxConnectionDuration = null);

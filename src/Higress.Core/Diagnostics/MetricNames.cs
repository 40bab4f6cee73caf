namespace Higress.Core.Diagnostics;

/// <summary>
/// The name of every instrument on the <c>Higress</c> meter, in one place. Names follow OpenTelemetry: lower case,
/// dot-separated, the unit in the instrument's <c>unit</c> and not in the name. The admin <c>/metrics</c> renders them
/// in Prometheus form (dots become underscores, a <c>s</c> unit adds <c>_seconds</c>, counters end in <c>_total</c>:
/// <c>higress.gateway.requests</c> is <c>higress_gateway_requests_total</c>); docs/observability.md lists both.
/// </summary>
internal static class MetricNames
{
    /// <summary>Gateway requests by route, cluster, status code and consumer (counter).</summary>
    public const string GatewayRequests = "higress.gateway.requests";

    /// <summary>Time from a request's arrival to its response's end, in seconds (histogram).</summary>
    public const string GatewayRequestDuration = "higress.gateway.request.duration";

    /// <summary>Gateway requests in progress (up-down counter).</summary>
    public const string GatewayActiveRequests = "higress.gateway.active_requests";

    /// <summary>Time the upstream took to answer, tries and retries included, in seconds (histogram).</summary>
    public const string UpstreamRequestDuration = "higress.upstream.request.duration";

    /// <summary>Retries sent to upstreams (counter).</summary>
    public const string UpstreamRetries = "higress.upstream.retries";

    /// <summary>Retries not sent because the cluster's retry budget was spent (counter).</summary>
    public const string UpstreamRetryBudgetExhausted = "higress.upstream.retry_budget.exhausted";

    /// <summary>Destinations ejected by outlier detection (counter).</summary>
    public const string UpstreamEjections = "higress.upstream.ejections";

    /// <summary>Destinations ejected now (gauge).</summary>
    public const string UpstreamEjected = "higress.upstream.ejected";

    /// <summary>Requests refused because a connection-pool limit was full (counter).</summary>
    public const string UpstreamOverflow = "higress.upstream.overflow";

    /// <summary>Counter: TLS handshakes toward upstreams that failed, by cluster and reason.</summary>
    public const string UpstreamTlsFailures = "higress.upstream.tls.failures";

    /// <summary>Requests refused by a rule's local rate limit (counter).</summary>
    public const string RateLimitRejections = "higress.ratelimit.rejections";

    /// <summary>Times a rule's rate limit reached its cap on keys (counter).</summary>
    public const string RateLimitPartitionCap = "higress.ratelimit.partition_cap";

    /// <summary>Requests an authentication or authorization plugin refused with 401 or 403 (counter).</summary>
    public const string AuthDenials = "higress.auth.denials";

    /// <summary>Plugin handlers that threw or could not be configured (counter).</summary>
    public const string PluginFailures = "higress.plugin.failures";

    /// <summary>Configuration applies by result, <c>applied</c> or <c>failed</c> (counter).</summary>
    public const string ConfigApplies = "higress.config.applies";

    /// <summary>The revision (plan generation) being served (gauge).</summary>
    public const string ConfigRevision = "higress.config.revision";

    /// <summary>Configuration errors in the latest translation (gauge).</summary>
    public const string ConfigErrors = "higress.config.errors";

    /// <summary>Request copies sent to mirrors (counter).</summary>
    public const string MirrorRequests = "higress.mirror.requests";

    /// <summary>Request copies not sent to mirrors (counter).</summary>
    public const string MirrorDropped = "higress.mirror.dropped";

    /// <summary>Regular-expression matches that ran out of time, process-wide (counter).</summary>
    public const string RegexMatchTimeouts = "higress.regex.match_timeouts";

    /// <summary>Decisions of the opa plugin, by policy and result (counter).</summary>
    public const string OpaDecisions = "higress.opa.decisions";

    /// <summary>Decisions of the opa plugin that denied a request, by policy (counter).</summary>
    public const string OpaDenials = "higress.opa.denials";

    /// <summary>Decisions of the opa plugin that failed, by policy and reason (counter).</summary>
    public const string OpaErrors = "higress.opa.errors";

    /// <summary>Time to make one opa decision, in seconds (histogram, <see cref="DecisionBuckets"/>).</summary>
    public const string OpaDecisionDuration = "higress.opa.decision.duration";

    /// <summary>cluster-key-rate-limit calls to Redis that failed or timed out, by rule (counter).</summary>
    public const string RateLimitRedisErrors = "higress.ratelimit.redis.errors";

    /// <summary>Access log lines written (counter).</summary>
    public const string AccessLogLines = "higress.access_log.lines";

    /// <summary>Access log lines dropped because the writer fell behind (counter).</summary>
    public const string AccessLogDropped = "higress.access_log.dropped";

    /// <summary>Open UDP sessions (client addresses with an upstream socket), by listener (up-down counter).</summary>
    public const string UdpSessions = "higress.udp.sessions";

    /// <summary>UDP datagrams forwarded, by listener and direction (<c>upstream</c>, <c>downstream</c>) (counter).</summary>
    public const string UdpDatagrams = "higress.udp.datagrams";

    /// <summary>UDP datagrams dropped, by listener and reason (<c>no_backend</c>, <c>session_limit</c>, <c>rate_limit</c>, <c>upstream_error</c>) (counter).</summary>
    public const string UdpDropped = "higress.udp.dropped";

    /// <summary>
    /// Bucket bounds for duration histograms, in seconds: OpenTelemetry's advice for HTTP durations, so that the admin
    /// <c>/metrics</c> and an OpenTelemetry exporter report the same buckets.
    /// </summary>
    public static readonly IReadOnlyList<double> DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    /// <summary>
    /// Bucket bounds for in-process decisions (the opa plugin), in seconds: from 10 µs, where an embedded policy
    /// decides, to 1 s, where a remote one times out.
    /// </summary>
    public static readonly IReadOnlyList<double> DecisionBuckets = [0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

    /// <summary>Counter: requests forwarded by the HTTP/1.1 fast path (the rest went through YARP).</summary>
    public const string FastPathRequests = "higress.fastpath.requests";

    /// <summary>Connections to TCP and TLS-passthrough listeners by listener and result (counter).</summary>
    public const string StreamConnections = "higress.stream.connections";

    /// <summary>Stream connections being forwarded, by listener (up-down counter).</summary>
    public const string StreamActiveConnections = "higress.stream.active_connections";

    /// <summary>Bytes forwarded on stream connections by listener and direction: <c>upstream</c> or <c>downstream</c> (counter).</summary>
    public const string StreamBytes = "higress.stream.bytes";
}

namespace Higress.Hosting.AccessLog;

/// <summary>
/// Why the gateway, not the upstream, shaped a response: Envoy's response flags, printed with Envoy's short codes in
/// the access log (<see cref="AccessLogFormatter"/>), so that dashboards and habits built on Envoy's logs carry over.
/// </summary>
[Flags]
internal enum ResponseFlags
{
    None = 0,

    /// <summary>NR: no route matched (404).</summary>
    NoRoute = 1 << 0,

    /// <summary>NC: the matched rule has no usable backend (misconfigured, 500).</summary>
    NoClusterFound = 1 << 1,

    /// <summary>UH: the cluster had no healthy destination (503).</summary>
    NoHealthyUpstream = 1 << 2,

    /// <summary>UF: the upstream connection could not be made (502).</summary>
    UpstreamConnectionFailure = 1 << 3,

    /// <summary>UC: the upstream connection broke after it was made.</summary>
    UpstreamConnectionTermination = 1 << 4,

    /// <summary>UT: the rule's timeout or the per-try timeout ended the call (504).</summary>
    UpstreamRequestTimeout = 1 << 5,

    /// <summary>URX: every retry was spent and the last try failed too.</summary>
    UpstreamRetryLimitExceeded = 1 << 6,

    /// <summary>UO: a cluster's connection-pool limit was full (503, <c>x-higress-overloaded</c>).</summary>
    UpstreamOverflow = 1 << 7,

    /// <summary>RL: a rate limit (the rule's <c>rateLimit</c> or a rate-limit plugin) answered 429.</summary>
    RateLimited = 1 << 8,

    /// <summary>UAEX: an authentication or authorization plugin refused the request (401, 403).</summary>
    UnauthorizedExternalService = 1 << 9,

    /// <summary>DC: the client went away before the response was complete.</summary>
    DownstreamConnectionTermination = 1 << 10,

    /// <summary>FI: fault injection answered the request.</summary>
    FaultInjected = 1 << 11,

    /// <summary>DI: fault injection delayed the request.</summary>
    DelayInjected = 1 << 12,
}

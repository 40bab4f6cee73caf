namespace Higress.Core.Diagnostics;

/// <summary>
/// Every log event id of the gateway (Higress.Core and Higress.Net), one constant per event, so that an id is never
/// used twice and operators can alert on stable ids (docs/operations.md lists them). Pick a new id from the block of
/// its area; never reuse or renumber a published one.
/// </summary>
internal static class EventIds
{
    // 1-99: plugin chains (Higress.Core).

    /// <summary>A plugin's request handler threw.</summary>
    public const int PluginRequestFailed = 1;

    /// <summary>A plugin's response handler threw.</summary>
    public const int PluginResponseFailed = 2;

    /// <summary>A FAIL_CLOSE plugin without a usable config answered a request 500.</summary>
    public const int PluginUnavailable = 3;

    /// <summary>A plugin binding cannot run on a rule (unknown plugin, config never valid).</summary>
    public const int PluginBindingUnusable = 10;

    // 100-119: authentication plugins (key-auth, basic-auth, hmac-auth).

    /// <summary>An authentication plugin refused a request (401, 400, 413); never logs the credential.</summary>
    public const int AuthRefused = 100;

    /// <summary>An authentication plugin recognised a consumer that its <c>allow</c> list does not name (403).</summary>
    public const int AuthConsumerNotAllowed = 101;
    // 150-159: the transformer plugin.

    /// <summary>transformer left a body unchanged: larger than it reads.</summary>
    public const int TransformerBodyTooLarge = 150;

    /// <summary>transformer left a JSON body unchanged: not valid JSON.</summary>
    public const int TransformerInvalidJson = 151;
    // 120-139: jwt-auth.

    /// <summary>jwt-auth fetched a key set from a <c>jwks_uri</c>.</summary>
    public const int JwksFetched = 120;

    /// <summary>jwt-auth could not fetch a key set; the last good set stays.</summary>
    public const int JwksFetchFailed = 121;

    /// <summary>A token named a key id the fetched set does not hold; the set is fetched again.</summary>
    public const int JwksUnknownKid = 122;

    /// <summary>jwt-auth refused a request (401).</summary>
    public const int JwtRefused = 123;

    /// <summary>A valid token of an issuer without a consumer name had no <c>sub</c>.</summary>
    public const int JwtNoSubject = 124;

    // 1000-1099: plans and translation.

    /// <summary>A plan was applied.</summary>
    public const int PlanApplied = 1001;

    /// <summary>A plan failed to apply; the previous one keeps serving.</summary>
    public const int PlanRejected = 1002;

    /// <summary>A configuration error appeared.</summary>
    public const int ConfigError = 1003;

    /// <summary>A configuration warning appeared.</summary>
    public const int ConfigWarning = 1004;

    /// <summary>The translator threw; the previous plan keeps serving.</summary>
    public const int TranslationFailed = 1010;

    // 1100-1199: the directory source.

    /// <summary>The configuration directory was read.</summary>
    public const int DirectoryRead = 1101;

    /// <summary>Watching the configuration directory failed; the source polls instead.</summary>
    public const int DirectoryWatchFailed = 1102;

    // 1200-1399: listeners.

    /// <summary>The set of listening endpoints changed.</summary>
    public const int ListenersChanged = 1201;

    /// <summary>An endpoint could not be opened.</summary>
    public const int EndpointFailed = 1300;

    /// <summary>An endpoint that had failed is open again.</summary>
    public const int EndpointRecovered = 1301;

    // 1400-1499: diagnostics.

    /// <summary>A configuration error or warning went away.</summary>
    public const int DiagnosticResolved = 1450;

    // 1500-1549: the appsettings source.

    /// <summary>The <c>Higress</c> configuration section was read.</summary>
    public const int ConfigurationRead = 1501;

    // 1550-1599: gateway answers.

    /// <summary>No rule matched a request (404).</summary>
    public const int NoRoute = 1550;

    /// <summary>A matched rule could not be served as configured (500, 503).</summary>
    public const int RuleMisconfigured = 1551;

    /// <summary>Forwarding to the upstream failed (502, 503, 504).</summary>
    public const int ForwardingFailed = 1552;

    /// <summary>A cluster's connection-pool limit was full: 503 with <c>x-higress-overloaded</c>, not forwarded.</summary>
    public const int ClusterOverloaded = 1553;

    // 1600-1699: limits and memory.

    /// <summary>A file read empty while being written; its last good objects stay.</summary>
    public const int EmptyFileHeld = 1600;

    /// <summary>The sources hold more objects than <c>Higress:Limits:MaxObjects</c>.</summary>
    public const int TooManyObjects = 1601;

    /// <summary>The configuration shrank; the heap is compacted.</summary>
    public const int ConfigurationShrank = 1602;

    // 1720-1739: ASP.NET Core authentication and authorization on gateway traffic.

    /// <summary>An ASP.NET Core authorization policy refused a gateway request (401 challenge or 403 forbid).</summary>
    public const int AspNetAuthorizationRefused = 1720;

    /// <summary>MapHigress() conventions put an ASP.NET Core authorization policy on every gateway request.</summary>
    public const int GatewayAuthorizationEnabled = 1721;

    // 1700-1719: request normalization.

    /// <summary>A request was refused (400) because its path or Host cannot be normalized safely.</summary>
    public const int RequestRefused = 1700;

    // 1770-1779: upstream retries.

    /// <summary>A try failed in a way the rule's <c>retryOn</c> names, and the request is sent again.</summary>
    public const int UpstreamRetrying = 1770;

    /// <summary>A retry was not sent because the cluster's retry budget was spent.</summary>
    public const int RetryBudgetExhausted = 1771;

    // 1760-1769: request mirroring.

    /// <summary>A mirrored copy of a request failed (refused, timed out, reset); the primary request is unaffected.</summary>
    public const int MirrorFailed = 1760;

    /// <summary>A mirror destination refused a connection; its copies are dropped (counted) for a growing back-off.</summary>
    public const int MirrorUnreachable = 1761;

    // 1750-1759: timeouts and fault injection.

    /// <summary>Fault injection answered a request locally instead of forwarding it.</summary>
    public const int FaultAborted = 1750;

    /// <summary>Fault injection delayed a request before forwarding it.</summary>
    public const int FaultDelayed = 1751;

    // 1740-1749: graceful drain.

    /// <summary>SIGTERM: readiness fails and the gateway keeps serving for <c>Higress:Shutdown:DrainDelay</c>.</summary>
    public const int Draining = 1740;

    /// <summary>The drain delay is over: the listeners stop accepting and in-flight requests finish.</summary>
    public const int DrainDelayOver = 1741;

    // 1790-1799: outlier detection and active health checks.

    /// <summary>Outlier detection ejected a destination that failed too many times in a row.</summary>
    public const int DestinationEjected = 1790;

    /// <summary>An ejected destination's ejection time is over: it gets traffic again.</summary>
    public const int DestinationReturned = 1791;

    /// <summary>Active health checks found a destination unhealthy (unhealthyThreshold failed probes in a row).</summary>
    public const int DestinationUnhealthy = 1792;

    /// <summary>Active health checks found an unhealthy destination healthy again (healthyThreshold good probes in a row).</summary>
    public const int DestinationHealthy = 1793;

    // 1820-1829: sidecar mode.

    /// <summary>A CONNECT request (a tunnel, e.g. HTTPS through the outbound proxy) was refused with 501.</summary>
    public const int ConnectRefused = 1820;

    // 1830-1839: local rate limiting.

    /// <summary>A rule's local rate limit refused a request with 429.</summary>
    public const int RateLimited = 1830;

    /// <summary>A rule's rate limit reached its cap on keys (Higress:Limits:MaxRateLimitPartitions); new keys share one bucket.</summary>
    public const int RateLimitPartitionCap = 1831;

    // 1840-1849: the key-rate-limit plugin.

    /// <summary>key-rate-limit refused a request of a listed key with 429.</summary>
    public const int KeyRateLimited = 1840;

    // 1910-1929: access log and admin API.

    /// <summary>The access log could not be opened or written; the lines concerned are counted as dropped.</summary>
    public const int AccessLogWriteFailed = 1910;

    /// <summary>The access log writer fell behind and lines were dropped (logged at 1, 2, 4, 8, ... drops).</summary>
    public const int AccessLogDropped = 1911;

    /// <summary>The access log was opened: where it writes, in which format, at which sample ratio.</summary>
    public const int AccessLogOpened = 1912;

    // 1850-1869: the shared (Redis) rate limiter, cluster-key-rate-limit.

    /// <summary>cluster-key-rate-limit cannot reach Redis; failure_mode_deny decides. Once per incident.</summary>
    public const int ClusterRateLimitRedisUnavailable = 1850;

    /// <summary>cluster-key-rate-limit reaches Redis again after an incident.</summary>
    public const int ClusterRateLimitRedisRecovered = 1851;

    /// <summary>cluster-key-rate-limit holds leases for its maximum of keys; further keys lease one token at a time.</summary>
    public const int ClusterRateLimitKeyCap = 1852;

    // 1870-1889: the opa plugin.

    /// <summary>One opa decision (the decision log): id, policy path, result, duration, route, consumer.</summary>
    public const int OpaDecision = 1870;

    /// <summary>An opa decision failed (evaluation error, time limit, remote OPA error); answered per fail strategy.</summary>
    public const int OpaDecisionFailed = 1871;

    /// <summary>An opa policy source (directory or bundle) was loaded and now decides.</summary>
    public const int OpaPolicyLoaded = 1872;

    /// <summary>An opa policy source failed to load or compile; the previous policy keeps deciding.</summary>
    public const int OpaPolicyLoadFailed = 1873;

    // 1930-1949: the Kubernetes watch source.

    /// <summary>A kind was listed from the API server (the first list, a re-list after 410 Gone, a resync).</summary>
    public const int KubernetesListed = 1930;

    /// <summary>A kind's CRD is not installed (its list answered 404); it is looked for again later.</summary>
    public const int KubernetesKindMissing = 1931;

    /// <summary>A list or watch failed; the watch reconnects after a backoff with jitter.</summary>
    public const int KubernetesWatchFailed = 1932;

    /// <summary>A watch's resourceVersion was too old (410 Gone); the kind is listed again.</summary>
    public const int KubernetesWatchGone = 1933;

    /// <summary>A watch stream was silent too long (the watchdog) or reached its resync time; it is reopened.</summary>
    public const int KubernetesWatchIdle = 1934;

    /// <summary>Every watched kind has been listed once: the cluster's objects are in the configuration.</summary>
    public const int KubernetesSynced = 1935;

    /// <summary>The Kubernetes client configuration (kubeconfig or in-cluster) could not be loaded.</summary>
    public const int KubernetesConfigFailed = 1936;

    // 1940-1949: Kubernetes status writing and leader election.

    /// <summary>This replica acquired the status Lease: it writes status now.</summary>
    public const int KubernetesLeaderStarted = 1940;

    /// <summary>This replica lost (or gave up) the status Lease: it stops writing status and keeps serving.</summary>
    public const int KubernetesLeaderStopped = 1941;

    /// <summary>The replica observed a new holder of the status Lease.</summary>
    public const int KubernetesLeaderObserved = 1942;

    /// <summary>The leader released the status Lease on stop, for a quick handover.</summary>
    public const int KubernetesLeaseReleased = 1943;

    /// <summary>A status patch failed; it is retried after a backoff.</summary>
    public const int KubernetesStatusWriteFailed = 1944;

    /// <summary>A round of status patches was written (count).</summary>
    public const int KubernetesStatusWritten = 1945;

    /// <summary>Leader election failed (the API server is unreachable); the replica campaigns again after the retry period.</summary>
    public const int KubernetesLeaderElectionFailed = 1946;

    /// <summary>A status round failed unexpectedly; the writer tries again at the next change and the host keeps serving.</summary>
    public const int KubernetesStatusRoundFailed = 1947;

    // 1960-1969: UDP listeners (datagram proxying).

    /// <summary>A UDP listener's socket was bound and serves datagrams.</summary>
    public const int UdpListenerOpened = 1960;

    /// <summary>A UDP listener's socket cannot be bound; retried on every apply and every few seconds.</summary>
    public const int UdpListenerFailed = 1961;

    /// <summary>A UDP listener was closed (its listener left the plan), with its sessions.</summary>
    public const int UdpListenerClosed = 1962;

    /// <summary>A UDP listener reached <c>Higress:Udp:MaxSessions</c>; datagrams from new clients are dropped (logged once per listener).</summary>
    public const int UdpSessionLimitReached = 1963;

    /// <summary>A UDP session could not reach its backend (name resolution or socket error); the datagram is dropped.</summary>
    public const int UdpUpstreamFailed = 1964;

    /// <summary>A UDP listener's receive loop failed unexpectedly; the listener is closed and reopened on the next retry.</summary>
    public const int UdpReceiveFailed = 1965;

    // 1980-1989: mutual TLS and HTTP/3 on the listeners.

    /// <summary>A mutual-TLS listener refused a client certificate at the handshake.</summary>
    public const int ClientCertificateRefused = 1980;

    /// <summary>HTTPS listeners serve without HTTP/3 because QUIC (libmsquic) is not available.</summary>
    public const int Http3Unsupported = 1981;

    // 2000-2009: the HTTP/1.1 forwarding fast path (Higress.Net).

    /// <summary>A pooled upstream connection had been closed by the upstream; the request was sent again on a new one.</summary>
    public const int FastPathStaleConnection = 2000;

    /// <summary>An upstream response broke HTTP/1.1 framing or syntax; it was refused (502) or the client connection aborted.</summary>
    public const int FastPathUpstreamRejected = 2001;

    // 2010-2019: process profiles.

    /// <summary><c>Higress:Profile=sidecar</c> applied its in-process settings (heap limit, GC mode, pools).</summary>
    public const int SidecarProfileApplied = 2010;

    /// <summary>The sidecar profile runs without the runtime settings it documents (Server GC still on, ...).</summary>
    public const int SidecarProfileIncomplete = 2011;

    // 2020-2024: resident memory of the process.

    /// <summary>The resident pages of mapped images (.dll, .so) were released after start-up (<c>Higress:Sidecar:TrimImagePages</c>).</summary>
    public const int ImagePagesTrimmed = 2020;

    /// <summary>Releasing the resident pages of mapped images failed (e.g. the kernel refused <c>madvise</c>); it is not tried again.</summary>
    public const int ImagePagesTrimFailed = 2021;

    // 1970-1979: upstream TLS origination.

    /// <summary>TLS toward a cluster's upstream failed (untrusted or misnamed certificate, failed handshake); logged once per incident.</summary>
    public const int UpstreamTlsFailed = 1970;

    /// <summary>A cluster's upstream completed a TLS handshake again after an incident.</summary>
    public const int UpstreamTlsRecovered = 1971;

    // 1950-1959: TCP and TLS-passthrough listeners (streams).

    /// <summary>A stream connection matched no rule (source, port or SNI) and was closed without contacting a backend.</summary>
    public const int StreamNoRoute = 1950;

    /// <summary>A stream connection was refused because its listener's connection limit was reached.</summary>
    public const int StreamLimitReached = 1951;

    /// <summary>A stream connection's backend could not be reached (no endpoint, invalid reference, connect failure or timeout).</summary>
    public const int StreamBackendFailed = 1952;

    /// <summary>A TLS-passthrough connection did not start with a readable ClientHello carrying SNI in time.</summary>
    public const int StreamNoClientHello = 1953;
}

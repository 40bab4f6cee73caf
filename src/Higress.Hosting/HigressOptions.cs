namespace Higress.Hosting;

/// <summary>
/// Options bound from the <c>Higress</c> configuration section (see docs/configuration.md).
/// Every option can be given on the command line as <c>--Higress:Name=value</c>.
/// </summary>
public sealed class HigressOptions
{
    /// <summary>A directory of YAML/JSON objects, watched and applied without restart. A relative path resolves against the working directory.</summary>
    public string? ConfigDir { get; set; }

    /// <summary>The address every gateway listener binds (default <c>0.0.0.0</c>).</summary>
    public string BindAddress { get; set; } = "0.0.0.0";

    /// <summary>Whether Higress opens a Kestrel endpoint for each listener port (default true). Turn off to serve only ports the host opens itself.</summary>
    public bool OpenListeners { get; set; } = true;

    /// <summary>Whether HTTPS listeners also serve HTTP/3 where the machine supports QUIC (libmsquic); default true.</summary>
    public bool Http3 { get; set; } = true;

    /// <summary>The GatewayClass name whose Gateways this instance serves.</summary>
    public string GatewayClassName { get; set; } = "higress";

    /// <summary>The controller name a GatewayClass must carry for its Gateways to be served.</summary>
    public string ControllerName { get; set; } = "higress.io/gateway-controller";

    /// <summary>How long to wait after a change before rebuilding the plan, so bursts of edits apply once.</summary>
    public TimeSpan ReloadDebounce { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// The longest a change waits for its burst to settle (default 1 s): however fast changes keep arriving, the
    /// newest configuration is applied within about this long. Istio debounces the same way (100 ms, at most 10 s).
    /// </summary>
    public TimeSpan ReloadMaxDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The admin (management) port options.</summary>
    public HigressAdminOptions Admin { get; set; } = new();

    /// <summary>
    /// Put the detailed reason into the body of responses the gateway generates on errors (404, 500, 502, ...).
    /// Default false: clients get a generic body with a request id, and the details go to the log and <c>/config_dump</c>,
    /// because the reason names objects, namespaces and upstreams. Turn it on for development and tests only.
    /// </summary>
    public bool DetailedErrors { get; set; }

    /// <summary>Limits on request bodies and on the configuration, so that neither a client nor a runaway configuration exhausts the process.</summary>
    public HigressLimitsOptions Limits { get; set; } = new();

    /// <summary>How request paths and Host headers are normalized before matching (docs/security.md).</summary>
    public HigressSecurityOptions Security { get; set; } = new();

    /// <summary>How the host drains on SIGTERM (the <c>Higress:Shutdown</c> section; docs/operations.md).</summary>
    public HigressShutdownOptions Shutdown { get; set; } = new();

    /// <summary>Upstream retries: the per-cluster retry budget and the body buffer (the <c>Higress:Retries</c> section).</summary>
    public HigressRetryOptions Retries { get; set; } = new();

    /// <summary>Sidecar mode: an inbound port in front of a local app and an outbound port to other services (the <c>Higress:Sidecar</c> section; docs/sidecar.md).</summary>
    public HigressSidecarOptions Sidecar { get; set; } = new();

    /// <summary>TCP and TLS-passthrough listeners: timeouts and connection limits (the <c>Higress:Streams</c> section; docs/tcp-tls.md).</summary>
    public HigressStreamOptions Streams { get; set; } = new();

    /// <summary>The access log: one line per gateway request (the <c>Higress:AccessLog</c> section; docs/operations.md).</summary>
    public HigressAccessLogOptions AccessLog { get; set; } = new();

    /// <summary>UDP listeners: session idle timeout and limits (the <c>Higress:Udp</c> section; docs/udp.md).</summary>
    public HigressUdpOptions Udp { get; set; } = new();

    /// <summary>Traces and metrics: exporters, sampling, propagation (docs/observability.md).</summary>
    public HigressTelemetryOptions Telemetry { get; set; } = new();

    /// <summary>The HTTP/1.1 forwarding fast path (the <c>Higress:FastPath</c> section; docs/performance.md).</summary>
    public HigressFastPathOptions FastPath { get; set; } = new();

    /// <summary>The process profile: <c>Default</c>, or <c>Sidecar</c> for the lean-memory settings (docs/sidecar.md).</summary>
    public HigressProfile Profile { get; set; } = HigressProfile.Default;
}

/// <summary>
/// The HTTP/1.1 forwarding fast path (the <c>Higress:FastPath</c> section): eligible requests are forwarded over the
/// gateway's own pooled upstream connections instead of YARP's HttpClient; everything else goes through YARP.
/// </summary>
public sealed class HigressFastPathOptions
{
    /// <summary>Whether eligible requests take the fast path (default true); false sends every request through YARP.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Whether Kestrel runs a connection's request processing on the thread that completed its socket read instead of
    /// queueing it to the thread pool (Kestrel's <c>UnsafePreferInlineScheduling</c>; default true). It saves a thread
    /// hop per request; the thread is a thread-pool thread, so blocking code costs what it costs elsewhere, unless
    /// <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1</c> also moves socket completions onto the event threads.
    /// </summary>
    public bool InlineScheduling { get; set; } = true;
}

/// <summary>Sidecar mode (the <c>Higress:Sidecar</c> section, docs/sidecar.md); off while no port is set.</summary>
public sealed class HigressSidecarOptions
{
    /// <summary>The inbound port and the local app behind it.</summary>
    public HigressSidecarInboundOptions Inbound { get; set; } = new();

    /// <summary>The outbound port the app reaches other services through.</summary>
    public HigressSidecarOutboundOptions Outbound { get; set; } = new();

    /// <summary>The namespace in which short Service names (<c>svc</c>) resolve on the outbound port (default <c>default</c>).</summary>
    public string Namespace { get; set; } = "default";

    /// <summary>
    /// Release the resident pages of the mapped .dll and .so files once start-up is over, so that only the pages the
    /// steady state touches come back (Linux only; docs/sidecar.md, "Memory"). Unset: on with
    /// <c>Higress:Profile=sidecar</c>, off otherwise.
    /// </summary>
    public bool? TrimImagePages { get; set; }
}

/// <summary>The sidecar's inbound port (<c>Higress:Sidecar:Inbound</c>).</summary>
public sealed class HigressSidecarInboundOptions
{
    /// <summary>The port (e.g. 15006) on the bind address; every request on it runs the matching Routes' policies, then goes to <see cref="App"/>. Unset: off.</summary>
    public int? Port { get; set; }

    /// <summary>The local app's base address, e.g. <c>http://127.0.0.1:8080</c>; required with <see cref="Port"/>.</summary>
    public string? App { get; set; }
}

/// <summary>The sidecar's outbound port (<c>Higress:Sidecar:Outbound</c>).</summary>
public sealed class HigressSidecarOutboundOptions
{
    /// <summary>The port (e.g. 15001), on 127.0.0.1 only: an HTTP proxy (<c>HTTP_PROXY</c>) and origin-form entry to services by name. Unset: off.</summary>
    public int? Port { get; set; }
}

/// <summary>
/// Graceful drain (the <c>Higress:Shutdown</c> section): on SIGTERM <c>/readyz</c> answers 503 at once, the gateway keeps
/// serving for <see cref="DrainDelay"/>, then stops accepting and gives in-flight requests up to <see cref="Timeout"/>.
/// </summary>
public sealed class HigressShutdownOptions
{
    /// <summary>How long the gateway keeps serving after SIGTERM, so that load balancers notice the failed readiness (default 5 s).</summary>
    public TimeSpan DrainDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long in-flight requests may still finish once the gateway stopped accepting (default 30 s); then they are aborted.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// Request normalization (the <c>Higress:Security</c> section): one form of the path and Host that matching, every
/// plugin and the backend all see (docs/security.md).
/// </summary>
public sealed class HigressSecurityOptions
{
    /// <summary>What to do with <c>%2F</c>, <c>%5C</c> and a literal backslash in a path (default <see cref="Higress.Core.Routing.EscapedSlashAction.Reject"/>: 400).</summary>
    public Higress.Core.Routing.EscapedSlashAction EscapedSlashes { get; set; } = Higress.Core.Routing.EscapedSlashAction.Reject;

    /// <summary>Merge repeated slashes in a path into one (default true), before matching and on the wire.</summary>
    public bool MergeSlashes { get; set; } = true;
}

/// <summary>The management endpoints: <c>/healthz</c>, <c>/readyz</c>, <c>/metrics</c>, <c>/config_dump</c>.</summary>
public sealed class HigressAdminOptions
{
    /// <summary>Serve the admin endpoints (default true).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The admin port (default 15021). It is never served on a gateway listener.</summary>
    public int Port { get; set; } = 15021;

    /// <summary>The admin bind address (default 127.0.0.1; a pod sets 0.0.0.0 for its probes).</summary>
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>
    /// Host names the admin endpoints accept besides IP addresses and <c>localhost</c> (default none); other Host
    /// values get 403, so that a web page cannot read them through DNS rebinding.
    /// </summary>
    public string[] AllowedHosts { get; set; } = [];

    /// <summary>
    /// A bearer token the admin endpoints require (default none): requests without <c>Authorization: Bearer
    /// &lt;token&gt;</c> get 401. <c>/healthz</c> and <c>/readyz</c> stay open for probes.
    /// </summary>
    public string? Token { get; set; }
}

/// <summary>
/// Limits on what the gateway accepts (the <c>Higress:Limits</c> section): request bodies, and the size of its
/// configuration. A file or object over a configuration limit is refused with an error naming the file, the limit and
/// the actual size, and the last good configuration keeps serving.
/// </summary>
public sealed class HigressLimitsOptions
{
    /// <summary>
    /// The largest request body, in bytes, forwarded on a gateway listener; null (default) means unlimited, because
    /// bodies are streamed and never held. A route rule's <c>maxRequestBodySize</c> overrides it. Over the limit the
    /// client gets 413 (if the response has not started) and the upstream request is aborted, never completed.
    /// </summary>
    public long? MaxRequestBodySize { get; set; }

    /// <summary>
    /// The largest configuration file read, in bytes (default 8 MiB). Checked before the file is read. Kubernetes caps
    /// one object at about 1.5 MiB (etcd's request limit), so the default holds several of the largest objects a cluster
    /// accepts, or tens of thousands of ordinary ones.
    /// </summary>
    public long MaxFileBytes { get; set; } = 8L * 1024 * 1024;

    /// <summary>The most objects one file may hold: YAML documents, plus the items of JSON arrays and <c>List</c>s (default 10,000).</summary>
    public int MaxDocumentsPerFile { get; set; } = 10_000;

    /// <summary>
    /// The most rules one route may have (default 1,000): a Route's <c>http</c>, an HTTPRoute's or GRPCRoute's
    /// <c>rules</c>, a Gateway listener's inline <c>routes</c>. The Gateway API itself allows 16 rules per HTTPRoute.
    /// </summary>
    public int MaxRulesPerRoute { get; set; } = 1_000;

    /// <summary>The most objects across all sources (default 50,000). Over it, the last good snapshot keeps serving.</summary>
    public int MaxObjects { get; set; } = 50_000;

    /// <summary>
    /// The most proxies a request may have passed (entries of its <c>Via</c> header, default 10): a request that has
    /// passed more is answered 508 Loop Detected instead of being forwarded again. A backend that is the gateway's own
    /// listener, directly or through a chain, would otherwise loop until file descriptors run out.
    /// </summary>
    public int MaxHops { get; set; } = 10;

    /// <summary>
    /// The most keys (token buckets) one rule's <c>rateLimit</c> tracks at once (default 100,000). Full buckets are
    /// evicted; at the cap, new keys share one bucket until evictions make room. Bounds memory however many keys arrive.
    /// </summary>
    public int MaxRateLimitPartitions { get; set; } = 100_000;
}

/// <summary>
/// How rules with <c>retries</c> retry (the <c>Higress:Retries</c> section). Retries to one cluster in flight at once
/// are limited to max(<see cref="MinConcurrency"/>, <see cref="BudgetPercent"/>% of its active requests), as Envoy's
/// retry budget, so that retries cannot multiply an outage.
/// </summary>
public sealed class HigressRetryOptions
{
    /// <summary>Retries in flight per cluster, as a percentage of its active requests (default 20).</summary>
    public double BudgetPercent { get; set; } = 20;

    /// <summary>Retries in flight per cluster allowed whatever the percentage gives (default 3).</summary>
    public int MinConcurrency { get; set; } = 3;

    /// <summary>
    /// The largest request body, in bytes, held in memory so that the request can be sent again (default 64 KiB). A
    /// request with a larger body is streamed and never retried.
    /// </summary>
    public int MaxBufferedBody { get; set; } = 64 * 1024;
}

namespace Higress.Hosting;

/// <summary>
/// Traces and metrics (the <c>Higress:Telemetry</c> section, docs/observability.md). The admin <c>/metrics</c> serves
/// the metrics whatever is set here; the exporters run when <c>services.AddHigress(...).WithTelemetry()</c> is called.
/// </summary>
public sealed class HigressTelemetryOptions
{
    /// <summary>Record a span and the request metrics for every gateway request (default true).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The OTLP exporter (traces and metrics).</summary>
    public HigressOtlpOptions Otlp { get; set; } = new();

    /// <summary>The Zipkin exporter (traces, Zipkin v2 JSON).</summary>
    public HigressZipkinOptions Zipkin { get; set; } = new();

    /// <summary>
    /// The share of new traces to sample, 0 to 1 (default: not set, the tracer's own sampler; OpenTelemetry's default
    /// samples all). Set, it is a parent-based ratio: a request whose caller sampled or dropped its trace follows the caller.
    /// </summary>
    public double? SamplingRatio { get; set; }

    /// <summary>The <c>service.name</c> of exported telemetry (default: the tracer's own, or <c>higress-gateway</c>).</summary>
    public string? ServiceName { get; set; }

    /// <summary>
    /// The trace-context formats read from requests and written to backends, in order of preference:
    /// <c>tracecontext</c> (W3C), <c>b3</c> (single header), <c>b3multi</c> (<c>X-B3-*</c> headers). Empty (the default)
    /// means <c>tracecontext</c>; it is empty rather than holding it because configuration binding adds to an array.
    /// </summary>
    public string[] Propagators { get; set; } = [];

    /// <summary>
    /// The most distinct consumers the <c>consumer</c> label of request metrics takes (default 100); later ones count as
    /// <c>other</c>, so that a flood of consumers cannot grow the number of series without bound.
    /// </summary>
    public int MaxConsumerLabels { get; set; } = 100;
}

/// <summary>The OTLP exporter (<c>Higress:Telemetry:Otlp</c>).</summary>
public sealed class HigressOtlpOptions
{
    /// <summary>
    /// The collector's address, e.g. <c>http://127.0.0.1:4317</c> (gRPC) or <c>http://127.0.0.1:4318</c> (HTTP). Without it
    /// the standard <c>OTEL_EXPORTER_OTLP_*</c> variables configure the exporter, and nothing is exported when they are unset too.
    /// </summary>
    public string? Endpoint { get; set; }

    /// <summary><c>grpc</c> or <c>http/protobuf</c> (default: <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>, else <c>grpc</c>).</summary>
    public string? Protocol { get; set; }
}

/// <summary>The Zipkin exporter (<c>Higress:Telemetry:Zipkin</c>).</summary>
public sealed class HigressZipkinOptions
{
    /// <summary>The collector's span endpoint, e.g. <c>http://127.0.0.1:9411/api/v2/spans</c>; unset, nothing goes to Zipkin.</summary>
    public string? Endpoint { get; set; }
}

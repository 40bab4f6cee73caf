namespace Higress.Hosting;

/// <summary>
/// The access log (the <c>Higress:AccessLog</c> section, docs/operations.md): one line per gateway request, written
/// off the request path. Off while <see cref="Path"/> is unset.
/// </summary>
public sealed class HigressAccessLogOptions
{
    /// <summary>A file to append lines to (its directory is created), or <c>stdout</c>. Unset: no access log.</summary>
    public string? Path { get; set; }

    /// <summary>The line format (default <see cref="AccessLogFormat.Json"/>).</summary>
    public AccessLogFormat Format { get; set; } = AccessLogFormat.Json;

    /// <summary>The share of requests logged, from 0 to 1 (default 1: every request).</summary>
    public double SampleRatio { get; set; } = 1;

    /// <summary>
    /// How many lines may wait for the writer (default 8192). When the writer falls behind and the queue is full,
    /// new lines are dropped and counted (<c>higress_access_log_dropped_total</c>); a request never waits for the log.
    /// </summary>
    public int QueueSize { get; set; } = 8192;
}

/// <summary>The access log's line format.</summary>
public enum AccessLogFormat
{
    /// <summary>One JSON object per line, with Envoy's field names (<c>start_time</c>, <c>response_code</c>, ...).</summary>
    Json,

    /// <summary>Envoy's default text line, followed by the route, cluster, consumer and trace id.</summary>
    Text,
}

using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Higress.Hosting.Admin;

namespace Higress.Hosting.AccessLog;

/// <summary>
/// Turns <see cref="AccessLogRecord"/>s into lines, on the writer's thread only (it reuses one buffer and one JSON
/// writer). Field names follow Envoy's and Higress's JSON access log; times are milliseconds. Query parameters whose
/// names look secret (<see cref="Redaction.IsSensitiveHeader"/>) have their values replaced.
/// </summary>
internal sealed class AccessLogFormatter
{
    private static readonly SearchValues<char> Unsafe = SearchValues.Create("\"\\\u007f" + string.Concat(Enumerable.Range(0, 32).Select(i => (char)i)));
    private static readonly string[] FlagCodes = ["NR", "NC", "UH", "UF", "UC", "UT", "URX", "UO", "RL", "UAEX", "DC", "FI", "DI"];

    private readonly AccessLogFormat _format;
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);
    private readonly Utf8JsonWriter _json;
    private readonly StringBuilder _text = new();

    public AccessLogFormatter(AccessLogFormat format)
    {
        _format = format;

        // Lines are read by people and log shippers, never embedded in a page: keep '<', '+' and '&' readable.
        _json = new Utf8JsonWriter(_buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true });
    }

    /// <summary>The lines formatted since the last <see cref="Clear"/>.</summary>
    public ReadOnlyMemory<byte> Written => _buffer.WrittenMemory;

    public void Clear() => _buffer.ResetWrittenCount();

    /// <summary>Appends one line (with its newline) for <paramref name="record"/>.</summary>
    public void Append(AccessLogRecord record)
    {
        if (_format == AccessLogFormat.Text)
        {
            AppendText(record);
        }
        else
        {
            AppendJson(record);
        }

        _buffer.GetSpan(1)[0] = (byte)'\n';
        _buffer.Advance(1);
    }

    /// <summary>Envoy's flag codes, comma-separated, or <c>-</c>.</summary>
    public static string FlagsText(ResponseFlags flags)
    {
        if (flags == ResponseFlags.None)
        {
            return "-";
        }

        var text = new StringBuilder();
        for (var i = 0; i < FlagCodes.Length; i++)
        {
            if (((int)flags & (1 << i)) != 0)
            {
                text.Append(text.Length > 0 ? "," : string.Empty).Append(FlagCodes[i]);
            }
        }

        return text.ToString();
    }

    private void AppendJson(AccessLogRecord r)
    {
        var json = _json;
        json.Reset();
        json.WriteStartObject();
        json.WriteString("start_time", r.StartTime.UtcDateTime);
        json.WriteString("method", r.Method);
        json.WriteString("path", PathAndQuery(r));
        json.WriteString("protocol", r.Protocol);
        json.WriteNumber("response_code", r.Status);
        json.WriteString("response_flags", FlagsText(r.Flags));
        json.WriteNumber("bytes_received", r.BytesReceived);
        json.WriteNumber("bytes_sent", r.BytesSent);
        json.WriteNumber("duration", Milliseconds(r.Duration));
        if (r.UpstreamTime is { } upstream)
        {
            json.WriteNumber("upstream_service_time", Milliseconds(upstream));
        }
        else
        {
            json.WriteNull("upstream_service_time");
        }

        json.WriteString("upstream_host", HostOf(r.UpstreamAddress));
        json.WriteString("upstream_cluster", r.Cluster);
        json.WriteString("route_name", r.Route);
        json.WriteString("consumer", r.Consumer);
        json.WriteString("trace_id", TraceId(r));
        json.WriteString("request_id", r.RequestId);
        json.WriteString("authority", r.Authority);
        json.WriteString("x_forwarded_for", r.ForwardedFor);
        json.WriteString("user_agent", r.UserAgent);
        json.WriteString("downstream_remote_address", RemoteAddress(r));
        json.WriteEndObject();
        json.Flush();
    }

    // Envoy's default format, then what a gateway adds:
    // [START_TIME] "METHOD PATH PROTOCOL" CODE FLAGS RECEIVED SENT DURATION UPSTREAM_TIME "XFF" "USER_AGENT"
    // "REQUEST_ID" "AUTHORITY" "UPSTREAM_HOST" "ROUTE" "CLUSTER" "CONSUMER" TRACE_ID REMOTE_ADDRESS
    private void AppendText(AccessLogRecord r)
    {
        var t = _text.Clear();
        t.Append('[').Append(r.StartTime.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)).Append("] \"");
        Escaped(t, r.Method).Append(' ');
        Escaped(t, PathAndQuery(r)).Append(' ');
        Escaped(t, r.Protocol).Append("\" ");
        t.Append(r.Status).Append(' ').Append(FlagsText(r.Flags)).Append(' ')
            .Append(r.BytesReceived).Append(' ').Append(r.BytesSent).Append(' ')
            .Append(Milliseconds(r.Duration).ToString(CultureInfo.InvariantCulture)).Append(' ')
            .Append(r.UpstreamTime is { } upstream ? Milliseconds(upstream).ToString(CultureInfo.InvariantCulture) : "-").Append(' ');
        Quoted(t, r.ForwardedFor);
        Quoted(t, r.UserAgent);
        Quoted(t, r.RequestId);
        Quoted(t, r.Authority);
        Quoted(t, HostOf(r.UpstreamAddress));
        Quoted(t, r.Route);
        Quoted(t, r.Cluster);
        Quoted(t, r.Consumer);
        t.Append(TraceId(r) ?? "-").Append(' ').Append(RemoteAddress(r) ?? "-");
        foreach (var chunk in t.GetChunks())
        {
            var span = chunk.Span;
            var written = Encoding.UTF8.GetBytes(span, _buffer.GetSpan(Encoding.UTF8.GetMaxByteCount(span.Length)));
            _buffer.Advance(written);
        }
    }

    private static void Quoted(StringBuilder text, string? value)
    {
        if (value is null)
        {
            text.Append("\"-\" ");
            return;
        }

        text.Append('"');
        Escaped(text, value).Append("\" ");
    }

    // Quotes, backslashes and control characters are escaped, so that a client cannot forge a line or a field.
    private static StringBuilder Escaped(StringBuilder text, string? value)
    {
        if (value is null)
        {
            return text.Append('-');
        }

        if (value.AsSpan().IndexOfAny(Unsafe) < 0)
        {
            return text.Append(value);
        }

        foreach (var c in value)
        {
            _ = c switch
            {
                '"' => text.Append("\\\""),
                '\\' => text.Append("\\\\"),
                < ' ' or '\u007f' => text.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture)),
                _ => text.Append(c),
            };
        }

        return text;
    }

    private static double Milliseconds(TimeSpan time) => Math.Round(time.TotalMilliseconds, 3);

    private static string? TraceId(AccessLogRecord r) => r.TraceId == default ? null : r.TraceId.ToHexString();

    private static string? RemoteAddress(AccessLogRecord r) =>
        r.RemoteAddress is null ? null : new System.Net.IPEndPoint(r.RemoteAddress, r.RemotePort).ToString();

    // Envoy logs the upstream as host:port, without the scheme YARP's destination address carries.
    private static string? HostOf(string? address)
    {
        if (address is null)
        {
            return null;
        }

        var start = address.IndexOf("://", StringComparison.Ordinal);
        var host = start < 0 ? address : address[(start + 3)..];
        return host.TrimEnd('/');
    }

    private static string? PathAndQuery(AccessLogRecord r)
    {
        var query = r.Query;
        if (string.IsNullOrEmpty(query))
        {
            return r.Path;
        }

        var text = new StringBuilder(r.Path).Append('?');
        var first = true;
        foreach (var range in query.AsSpan(1).Split('&'))
        {
            var pair = query.AsSpan(1)[range];
            var equals = pair.IndexOf('=');
            var name = equals < 0 ? pair : pair[..equals];
            text.Append(first ? string.Empty : "&");
            first = false;
            if (equals >= 0 && Redaction.IsSensitiveHeader(Uri.UnescapeDataString(name.ToString())))
            {
                text.Append(name).Append('=').Append(Redaction.Redacted);
            }
            else
            {
                text.Append(pair);
            }
        }

        return text.ToString();
    }
}

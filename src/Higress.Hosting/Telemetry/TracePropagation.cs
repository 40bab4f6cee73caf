using System.Diagnostics;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;

namespace Higress.Hosting.Telemetry;

/// <summary>
/// Reads a caller's trace context from a request and writes the gateway span's to the upstream request, in the formats
/// of <c>Higress:Telemetry:Propagators</c>: W3C <c>traceparent</c>/<c>tracestate</c>, B3 single (<c>b3</c>) and B3
/// multi (<c>X-B3-*</c>). Extraction takes the first configured format present; injection writes every configured
/// format and removes what the client sent in them, so that a backend never sees a parent the gateway did not create.
/// </summary>
internal sealed class TracePropagation
{
    private const string TraceParent = "traceparent";
    private const string TraceState = "tracestate";
    private const string B3 = "b3";
    private const string B3TraceId = "X-B3-TraceId";
    private const string B3SpanId = "X-B3-SpanId";
    private const string B3ParentSpanId = "X-B3-ParentSpanId";
    private const string B3Sampled = "X-B3-Sampled";
    private const string B3Flags = "X-B3-Flags";

    private readonly bool _w3c;
    private readonly bool _b3;
    private readonly bool _b3Multi;

    public TracePropagation(IEnumerable<string> formats)
    {
        foreach (var format in formats)
        {
            switch (format.Trim().ToLowerInvariant())
            {
                case "tracecontext":
                    _w3c = true;
                    break;
                case "b3":
                    _b3 = true;
                    break;
                case "b3multi":
                    _b3Multi = true;
                    break;
                default:
                    throw new InvalidOperationException($"Higress:Telemetry:Propagators: '{format}' is not a propagator; use tracecontext, b3 or b3multi");
            }
        }
    }

    /// <summary>The caller's span context, or default when the request carries none in a configured format.</summary>
    public ActivityContext Extract(IHeaderDictionary headers)
    {
        if (_w3c && headers.TryGetValue(TraceParent, out var parent)
            && ActivityContext.TryParse(parent.ToString(), headers.TryGetValue(TraceState, out var state) ? state.ToString() : null, isRemote: true, out var context))
        {
            return context;
        }

        if (_b3 && headers.TryGetValue(B3, out var single) && ParseB3Single(single.ToString()) is { } b3)
        {
            return b3;
        }

        if (_b3Multi && headers.TryGetValue(B3TraceId, out var traceId) && headers.TryGetValue(B3SpanId, out var spanId)
            && Parse(traceId.ToString(), spanId.ToString(), headers.TryGetValue(B3Flags, out var flags) && flags == "1" ? "1" : headers[B3Sampled].ToString()) is { } multi)
        {
            return multi;
        }

        return default;
    }

    /// <summary>
    /// Whether <paramref name="header"/> belongs to a configured format: injection replaces it, so a client's value in it
    /// is never forwarded.
    /// </summary>
    public bool Owns(string header) =>
        (_w3c && (Is(header, TraceParent) || Is(header, TraceState)))
        || (_b3 && Is(header, B3))
        || (_b3Multi && (Is(header, B3TraceId) || Is(header, B3SpanId) || Is(header, B3ParentSpanId) || Is(header, B3Sampled) || Is(header, B3Flags)));

    /// <summary>Writes <paramref name="activity"/>'s context to the upstream request in every configured format.</summary>
    public void Inject(Activity activity, HttpRequestHeaders headers)
    {
        foreach (var name in (ReadOnlySpan<string>)[TraceParent, TraceState, B3, B3TraceId, B3SpanId, B3ParentSpanId, B3Sampled, B3Flags])
        {
            if (Owns(name))
            {
                headers.Remove(name);
            }
        }

        Inject(activity, headers, static (h, name, value) => h.TryAddWithoutValidation(name, value));
    }

    /// <summary>
    /// Hands <paramref name="activity"/>'s context to <paramref name="add"/>, header by header, in every configured format
    /// (the fast path writes them straight into the request head; the caller leaves out what <see cref="Owns"/> names).
    /// </summary>
    public void Inject<TState>(Activity activity, TState state, Action<TState, string, string> add)
    {
        var traceId = activity.TraceId.ToHexString();
        var spanId = activity.SpanId.ToHexString();
        var sampled = activity.Recorded;
        if (_w3c)
        {
            add(state, TraceParent, $"00-{traceId}-{spanId}-{(sampled ? "01" : "00")}");
            if (!string.IsNullOrEmpty(activity.TraceStateString))
            {
                add(state, TraceState, activity.TraceStateString);
            }
        }

        if (_b3)
        {
            add(state, B3, $"{traceId}-{spanId}-{(sampled ? "1" : "0")}");
        }

        if (_b3Multi)
        {
            add(state, B3TraceId, traceId);
            add(state, B3SpanId, spanId);
            add(state, B3Sampled, sampled ? "1" : "0");
        }
    }

    private static bool Is(string header, string name) => string.Equals(header, name, StringComparison.OrdinalIgnoreCase);

    // b3: {TraceId}-{SpanId}[-{SamplingState}[-{ParentSpanId}]]; a lone "0"/"1"/"d" carries no context.
    private static ActivityContext? ParseB3Single(string value)
    {
        var parts = value.Split('-');
        return parts.Length >= 2 ? Parse(parts[0], parts[1], parts.Length > 2 ? parts[2] : null) : null;
    }

    private static ActivityContext? Parse(string traceId, string spanId, string? sampled)
    {
        // B3 allows 64-bit trace ids; W3C's are 128-bit, so a short one is left-padded with zeros (as Zipkin does).
        if (traceId.Length == 16)
        {
            traceId = "0000000000000000" + traceId;
        }

        if (traceId.Length != 32 || spanId.Length != 16 || !IsHex(traceId) || !IsHex(spanId))
        {
            return null;
        }

        var flags = sampled is "1" or "d" or "true" ? ActivityTraceFlags.Recorded : ActivityTraceFlags.None;
        return new ActivityContext(ActivityTraceId.CreateFromString(traceId), ActivitySpanId.CreateFromString(spanId), flags, isRemote: true);
    }

    private static bool IsHex(string value) => value.All(char.IsAsciiHexDigitLower) && value.Any(c => c != '0');
}

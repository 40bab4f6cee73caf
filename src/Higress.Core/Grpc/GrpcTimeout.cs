using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Higress.Core.Grpc;

/// <summary>
/// The <c>grpc-timeout</c> request header (gRPC over HTTP/2: at most 8 digits and a unit, <c>H M S m u n</c>). The
/// gateway's deadline for a gRPC request is the smaller of it and the rule's timeout, as Envoy's
/// <c>max_grpc_timeout</c> makes it.
/// </summary>
internal static class GrpcTimeout
{
    /// <summary>The header's name.</summary>
    public const string Header = "grpc-timeout";

    private const int MaxDigits = 8;

    /// <summary>
    /// The deadline for forwarding <paramref name="request"/>: the smaller of <paramref name="routeTimeout"/> and, on a
    /// gRPC request, a well-formed <c>grpc-timeout</c>; null when neither is set. When the rule's timeout is the smaller,
    /// the header sent upstream is lowered to it, so that the backend knows its real deadline.
    /// </summary>
    public static TimeSpan? Effective(HttpRequest request, TimeSpan? routeTimeout)
    {
        if (!request.Headers.TryGetValue(Header, out var values) || values.Count != 1 || !GrpcLocalReply.IsGrpc(request)
            || !TryParse(values[0], out var client))
        {
            return routeTimeout;
        }

        if (routeTimeout is { } route && route < client)
        {
            request.Headers[Header] = Format(route);
            return route;
        }

        return client;
    }

    /// <summary>Reads a header value; false (the header is ignored, as gRPC servers ignore it) when it is malformed.</summary>
    public static bool TryParse(ReadOnlySpan<char> value, out TimeSpan timeout)
    {
        timeout = default;
        if (value.Length is < 2 or > MaxDigits + 1)
        {
            return false;
        }

        var digits = value[..^1];
        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        var amount = long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        long? ticks = value[^1] switch
        {
            'H' => amount * TimeSpan.TicksPerHour,
            'M' => amount * TimeSpan.TicksPerMinute,
            'S' => amount * TimeSpan.TicksPerSecond,
            'm' => amount * TimeSpan.TicksPerMillisecond,
            'u' => amount * TimeSpan.TicksPerMicrosecond,
            'n' => amount / TimeSpan.NanosecondsPerTick,
            _ => null,
        };
        if (ticks is not { } t)
        {
            return false;
        }

        timeout = TimeSpan.FromTicks(t);
        return true;
    }

    /// <summary>Writes <paramref name="timeout"/> in the largest unit whose value fits in 8 digits (milliseconds or finer, then seconds and up).</summary>
    public static string Format(TimeSpan timeout)
    {
        var ms = Math.Max(0, (long)Math.Ceiling(timeout.TotalMilliseconds));
        return ms < 100_000_000
            ? ms.ToString(CultureInfo.InvariantCulture) + "m"
            : Math.Min((ms + 999) / 1000, 99_999_999).ToString(CultureInfo.InvariantCulture) + "S";
    }
}

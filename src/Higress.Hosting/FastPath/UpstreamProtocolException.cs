namespace Higress.Hosting.FastPath;

/// <summary>An upstream response the fast path refuses to forward because its syntax or framing is not unambiguous.</summary>
internal sealed class UpstreamProtocolException(string message) : IOException(message);

/// <summary>The upstream closed the connection, or reset it, before a complete response head.</summary>
/// <param name="noBytes">True when not a byte of a response had arrived (a stale pooled connection looks so).</param>
/// <param name="inner">The socket error, if the connection was reset rather than closed.</param>
internal sealed class UpstreamClosedException(bool noBytes, Exception? inner = null)
    : IOException(noBytes ? "the upstream closed the connection before responding" : "the upstream closed the connection in the middle of the response head", inner)
{
    public bool NoBytes { get; } = noBytes;
}

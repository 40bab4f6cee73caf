namespace Higress.Hosting.FastPath;

/// <summary>How an upstream response's body is delimited (RFC 9112 section 6.3).</summary>
internal enum ResponseFraming
{
    /// <summary>No body: a response to HEAD, or a 204 or 304.</summary>
    None,

    /// <summary>Exactly <c>Content-Length</c> bytes.</summary>
    ContentLength,

    /// <summary>Chunked transfer coding.</summary>
    Chunked,

    /// <summary>Everything until the upstream closes the connection (then the connection cannot be reused).</summary>
    UntilClose,
}

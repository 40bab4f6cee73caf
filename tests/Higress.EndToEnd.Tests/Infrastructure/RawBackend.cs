using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Higress.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A backend on a raw TCP socket (127.0.0.1) that records every byte it receives, per connection, and parses those
/// bytes as strictly as RFC 9112 allows: one framing per request (a single <c>Content-Length</c>, or
/// <c>Transfer-Encoding: chunked</c> alone), CRLF line ends only, no obsolete folding, no whitespace in header names.
/// Bytes it cannot parse that way are recorded as an error and end the connection, so a test can prove that what
/// reached the backend is a clean sequence of requests. Each request is answered by <see cref="Respond"/> (by default
/// 200 with the body <c>case=&lt;X-Case&gt; target=&lt;target&gt;</c>); a hostile answer may be any bytes.
/// </summary>
public sealed class RawBackend : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<RawBackendConnection> _connections = new();
    private readonly Task _accepting;

    private RawBackend(TcpListener listener, Func<RawBackendRequest, RawBackendAnswer>? respond)
    {
        _listener = listener;
        Respond = respond ?? Echo;
        _accepting = AcceptAsync();
    }

    /// <summary>The loopback port it listens on.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>What it answers to a parsed request.</summary>
    public Func<RawBackendRequest, RawBackendAnswer> Respond { get; }

    /// <summary>Every connection accepted so far, with its bytes and the requests parsed from them.</summary>
    public IReadOnlyCollection<RawBackendConnection> Connections => _connections;

    /// <summary>Every request parsed so far, over all connections.</summary>
    public IReadOnlyList<RawBackendRequest> Requests => [.. _connections.SelectMany(c => c.Requests)];

    /// <summary>Starts listening on a port the OS picks.</summary>
    public static RawBackend Start(Func<RawBackendRequest, RawBackendAnswer>? respond = null)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return new RawBackend(listener, respond);
    }

    /// <summary>The default answer: 200, keep-alive, a body naming the case id and the target.</summary>
    public static RawBackendAnswer Echo(RawBackendRequest request)
    {
        var body = $"case={request.Header("X-Case")} target={request.Target}";
        return new RawBackendAnswer($"HTTP/1.1 200 OK\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\nContent-Type: text/plain\r\n\r\n{body}");
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        var served = new List<Task>();
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                break;
            }

            var connection = new RawBackendConnection();
            _connections.Enqueue(connection);
            served.Add(ServeAsync(client, connection));
        }

        await Task.WhenAll(served).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task ServeAsync(TcpClient client, RawBackendConnection connection)
    {
        using var _ = client;
        var stream = client.GetStream();
        var buffer = new byte[16 * 1024];
        var pending = new List<byte>();
        try
        {
            while (true)
            {
                var read = await stream.ReadAsync(buffer, _stop.Token);
                if (read == 0)
                {
                    connection.End(abortedInsideARequest: pending.Count > 0);
                    return;
                }

                connection.Append(buffer.AsSpan(0, read));
                pending.AddRange(buffer.AsSpan(0, read));
                while (true)
                {
                    if (!RawRequestParser.TryParse(pending, out var request, out var consumed, out var error))
                    {
                        if (error is not null)
                        {
                            connection.Close(error);
                            return;
                        }

                        break;
                    }

                    pending.RemoveRange(0, consumed);
                    connection.Add(request!);
                    var answer = Respond(request!);
                    await stream.WriteAsync(Encoding.Latin1.GetBytes(answer.Bytes), _stop.Token);
                    if (answer.Close)
                    {
                        connection.Close(pending.Count == 0 ? null : "bytes after a request answered with close");
                        return;
                    }
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
        {
            connection.End(abortedInsideARequest: pending.Count > 0);
        }
    }
}

/// <summary>What <see cref="RawBackend"/> writes back: raw response bytes, and whether it closes afterwards.</summary>
/// <param name="Bytes">The response exactly as sent (Latin-1).</param>
/// <param name="Close">Close the connection after writing.</param>
public sealed record RawBackendAnswer(string Bytes, bool Close = false);

/// <summary>One request parsed from a backend connection's bytes.</summary>
/// <param name="Method">The method.</param>
/// <param name="Target">The raw request target.</param>
/// <param name="Headers">The header fields in order.</param>
/// <param name="Body">The body after framing was removed.</param>
public sealed record RawBackendRequest(string Method, string Target, IReadOnlyList<KeyValuePair<string, string>> Headers, string Body)
{
    /// <summary>The values of header <paramref name="name"/>, joined by a comma; null when absent.</summary>
    public string? Header(string name)
    {
        var values = Headers.Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).ToList();
        return values.Count == 0 ? null : string.Join(",", values);
    }
}

/// <summary>The bytes one backend connection received and what was parsed from them.</summary>
public sealed class RawBackendConnection
{
    private readonly Lock _gate = new();
    private readonly List<byte> _bytes = [];
    private readonly List<RawBackendRequest> _requests = [];

    /// <summary>Everything received, in order (Latin-1).</summary>
    public string Bytes
    {
        get
        {
            lock (_gate)
            {
                return Encoding.Latin1.GetString([.. _bytes]);
            }
        }
    }

    /// <summary>The requests parsed from <see cref="Bytes"/>, in order.</summary>
    public IReadOnlyList<RawBackendRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Why the bytes did not parse as a clean sequence of requests; null while they do.</summary>
    public string? Error { get; private set; }

    /// <summary>
    /// The connection ended inside a request (the gateway gave up forwarding it, e.g. when the client's body turned
    /// out to be malformed): that request was never complete, so it never reached the application.
    /// </summary>
    public bool Aborted { get; private set; }

    internal void Append(ReadOnlySpan<byte> bytes)
    {
        lock (_gate)
        {
            _bytes.AddRange(bytes);
        }
    }

    internal void Add(RawBackendRequest request)
    {
        lock (_gate)
        {
            _requests.Add(request);
        }
    }

    internal void Close(string? error) => Error ??= error;

    internal void End(bool abortedInsideARequest) => Aborted |= abortedInsideARequest;
}

/// <summary>A strict HTTP/1.1 request parser for <see cref="RawBackend"/>.</summary>
internal static class RawRequestParser
{
    /// <summary>
    /// Parses one complete request from the start of <paramref name="data"/>. False with no error: more bytes are
    /// needed. False with <paramref name="error"/> set: the bytes are not a clean request.
    /// </summary>
    public static bool TryParse(List<byte> data, out RawBackendRequest? request, out int consumed, out string? error)
    {
        request = null;
        consumed = 0;
        error = null;
        var text = Encoding.Latin1.GetString([.. data]);
        var headEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (headEnd < 0)
        {
            return Fail(BadLineEnds(text), out error);
        }

        var head = text[..headEnd];
        if (BadLineEnds(head + "\r\n") is { } lineError)
        {
            return Fail(lineError, out error);
        }

        var lines = head.Split("\r\n");
        var requestLine = lines[0].Split(' ');
        if (requestLine.Length != 3 || requestLine[2] != "HTTP/1.1")
        {
            return Fail($"bad request line '{lines[0]}'", out error);
        }

        var headers = new List<KeyValuePair<string, string>>();
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || line[..colon].Any(c => c <= ' ' || c >= 127))
            {
                return Fail($"bad header line '{line}'", out error);
            }

            headers.Add(new(line[..colon], line[(colon + 1)..].Trim(' ', '\t')));
        }

        var lengths = headers.Where(h => h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)).ToList();
        var codings = headers.Where(h => h.Key.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)).ToList();
        var bodyStart = headEnd + 4;
        string body;
        int end;
        if (codings.Count > 0)
        {
            if (lengths.Count > 0 || codings.Count > 1 || !codings[0].Value.Equals("chunked", StringComparison.OrdinalIgnoreCase))
            {
                return Fail("ambiguous framing: " + string.Join("; ", lengths.Concat(codings)), out error);
            }

            var chunked = ParseChunked(text, bodyStart, out body, out end);
            if (chunked is not null)
            {
                return chunked.Length == 0 ? false : Fail(chunked, out error);
            }
        }
        else if (lengths.Count > 1 || (lengths.Count == 1 && !lengths[0].Value.All(char.IsAsciiDigit)) || (lengths.Count == 1 && lengths[0].Value.Length == 0))
        {
            return Fail("ambiguous Content-Length: " + string.Join(", ", lengths.Select(l => l.Value)), out error);
        }
        else
        {
            var length = lengths.Count == 1 ? int.Parse(lengths[0].Value, CultureInfo.InvariantCulture) : 0;
            if (text.Length < bodyStart + length)
            {
                return false;
            }

            body = text.Substring(bodyStart, length);
            end = bodyStart + length;
        }

        request = new RawBackendRequest(requestLine[0], requestLine[1], headers, body);
        consumed = end;
        return true;
    }

    // Returns null when complete and valid, "" when more bytes are needed, otherwise the error.
    private static string? ParseChunked(string text, int start, out string body, out int end)
    {
        var content = new StringBuilder();
        body = "";
        end = 0;
        var position = start;
        while (true)
        {
            var lineEnd = text.IndexOf("\r\n", position, StringComparison.Ordinal);
            if (lineEnd < 0)
            {
                return "";
            }

            var sizeText = text[position..lineEnd].Split(';')[0];
            if (sizeText.Length is 0 or > 8 || !sizeText.All(char.IsAsciiHexDigit))
            {
                return $"bad chunk size line '{text[position..lineEnd]}'";
            }

            var size = int.Parse(sizeText, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            position = lineEnd + 2;
            if (size == 0)
            {
                // Trailer fields, then the blank line.
                var trailerEnd = text.IndexOf("\r\n", position, StringComparison.Ordinal);
                while (trailerEnd > position)
                {
                    position = trailerEnd + 2;
                    trailerEnd = text.IndexOf("\r\n", position, StringComparison.Ordinal);
                }

                if (trailerEnd < 0)
                {
                    return "";
                }

                body = content.ToString();
                end = trailerEnd + 2;
                return null;
            }

            if (text.Length < position + size + 2)
            {
                return "";
            }

            if (text.Substring(position + size, 2) != "\r\n")
            {
                return "chunk data not followed by CRLF";
            }

            content.Append(text, position, size);
            position += size + 2;
        }
    }

    private static string? BadLineEnds(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r'))
            {
                return "bare LF";
            }

            if (text[i] == '\r' && i + 1 < text.Length && text[i + 1] != '\n')
            {
                return "bare CR";
            }
        }

        return null;
    }

    private static bool Fail(string? reason, out string? error)
    {
        error = reason;
        return false;
    }
}

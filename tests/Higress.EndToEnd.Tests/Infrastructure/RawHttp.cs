using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Higress.EndToEnd.Tests.Infrastructure;

/// <summary>
/// HTTP/1.1 written byte for byte on a TCP socket to 127.0.0.1, for requests HttpClient would normalize or refuse to
/// send: raw request targets (<c>/a/%2e%2e/b</c>, backslashes), two Host headers, absolute-form targets, malformed framing,
/// pipelined requests.
/// </summary>
public static class RawHttp
{
    /// <summary>
    /// Sends <paramref name="head"/> (request line and headers, lines separated by CRLF, without the final blank
    /// line; <c>Connection: close</c> is added) and reads the whole answer, within 15 seconds.
    /// </summary>
    public static async Task<RawResponse> SendAsync(int port, string head)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port, timeout.Token);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.Latin1.GetBytes(head + "\r\nConnection: close\r\n\r\n"), timeout.Token);
        using var buffer = new MemoryStream();
        try
        {
            await stream.CopyToAsync(buffer, timeout.Token);
        }
        catch (IOException) when (buffer.Length > 0)
        {
            // The server may reset the connection after answering a request it refused.
        }

        var text = Encoding.UTF8.GetString(buffer.ToArray());
        var firstSpace = text.IndexOf(' ', StringComparison.Ordinal);
        var status = firstSpace > 0 && text.Length >= firstSpace + 4
            ? int.Parse(text.AsSpan(firstSpace + 1, 3), CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"no HTTP answer: '{text}'");
        return new RawResponse(status, text);
    }

    /// <summary>
    /// Writes <paramref name="raw"/> exactly as given (any number of requests, well formed or not) and reads answers
    /// until <paramref name="expected"/> of them parsed, the server closed the connection, or nothing arrived for two
    /// seconds (a server waiting for more of a body); within 15 seconds in all. Bytes after the last answer that
    /// parses are ignored.
    /// </summary>
    public static async Task<RawExchange> ExchangeAsync(int port, string raw, int expected = 1)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port, timeout.Token);
        var stream = client.GetStream();
        var received = new List<byte>();
        var buffer = new byte[8192];
        var answers = new List<RawAnswer>();
        var closed = false;
        try
        {
            await stream.WriteAsync(Encoding.Latin1.GetBytes(raw), timeout.Token);
            while (answers.Count < expected)
            {
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
                idle.CancelAfter(TimeSpan.FromSeconds(2));
                var read = await stream.ReadAsync(buffer, idle.Token);
                if (read == 0)
                {
                    closed = true;
                    break;
                }

                received.AddRange(buffer.AsSpan(0, read));
                answers = ParseAnswers(Encoding.Latin1.GetString([.. received]));
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
        {
            // The server reset the connection after refusing a request, or went quiet waiting for more bytes.
            closed = e is not OperationCanceledException;
        }

        return new RawExchange(answers, closed);
    }

    private static List<RawAnswer> ParseAnswers(string text)
    {
        var answers = new List<RawAnswer>();
        var position = 0;
        while (position < text.Length)
        {
            var headEnd = text.IndexOf("\r\n\r\n", position, StringComparison.Ordinal);
            var lines = headEnd < 0 ? [] : text[position..headEnd].Split("\r\n");
            if (lines.Length == 0 || !lines[0].StartsWith("HTTP/1.1 ", StringComparison.Ordinal) || lines[0].Length < 12
                || !int.TryParse(lines[0].AsSpan(9, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var status))
            {
                break;
            }

            string? Header(string name) => lines.Skip(1).Where(l => l.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase))
                .Select(l => l[(name.Length + 1)..].Trim()).FirstOrDefault();
            position = headEnd + 4;
            var body = new StringBuilder();
            if (Header("Transfer-Encoding") is not null)
            {
                while (true)
                {
                    var lineEnd = text.IndexOf("\r\n", position, StringComparison.Ordinal);
                    if (lineEnd < 0 || !int.TryParse(text.AsSpan(position, lineEnd - position), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var size)
                        || text.Length < lineEnd + 2 + size + 2)
                    {
                        return answers;
                    }

                    body.Append(text, lineEnd + 2, size);
                    position = lineEnd + 2 + size + 2;
                    if (size == 0)
                    {
                        break;
                    }
                }
            }
            else
            {
                var length = int.TryParse(Header("Content-Length"), CultureInfo.InvariantCulture, out var value) ? value : text.Length - position;
                if (text.Length < position + length)
                {
                    break;
                }

                body.Append(text, position, length);
                position += length;
            }

            answers.Add(new RawAnswer(status, body.ToString()));
        }

        return answers;
    }
}

/// <summary>What <see cref="RawHttp.ExchangeAsync"/> got back.</summary>
/// <param name="Answers">The answers, in order.</param>
/// <param name="Closed">The server closed (or reset) the connection before the expected answers arrived.</param>
public sealed record RawExchange(IReadOnlyList<RawAnswer> Answers, bool Closed);

/// <summary>One answer of <see cref="RawHttp.ExchangeAsync"/>: the status code and the body without its framing.</summary>
/// <param name="Status">The status code.</param>
/// <param name="Body">The body.</param>
public sealed record RawAnswer(int Status, string Body);

/// <summary>A raw answer: the status code and everything the server sent.</summary>
/// <param name="Status">The status code.</param>
/// <param name="Text">The status line, headers and body as received.</param>
public sealed record RawResponse(int Status, string Text);

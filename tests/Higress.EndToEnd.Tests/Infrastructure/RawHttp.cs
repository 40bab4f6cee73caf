using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Higress.EndToEnd.Tests.Infrastructure;

/// <summary>
/// HTTP/1.1 written byte for byte on a TCP socket to 127.0.0.1, for requests HttpClient would normalize or refuse to
/// send: raw request targets (<c>/a/%2e%2e/b</c>, backslashes), two Host headers, absolute-form targets.
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
}

/// <summary>A raw answer: the status code and everything the server sent.</summary>
/// <param name="Status">The status code.</param>
/// <param name="Text">The status line, headers and body as received.</param>
public sealed record RawResponse(int Status, string Text);

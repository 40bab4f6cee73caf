using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Higress.Hosting.Tests.Runtime;

/// <summary>Request bodies stream through unlimited by default; over a limit the upstream request is aborted, never completed.</summary>
public sealed class RequestBodyLimitTests
{
    private const long MiB = 1024 * 1024;

    private static Task<LoopbackGateway> GatewayAsync(CountingBackend backend, long? limit, long? ruleLimit = null) => LoopbackGateway.StartAsync(
        r => r
            .AddService("up", backend.Port, ["127.0.0.1"])
            .AddYaml($$$"""
                apiVersion: networking.higress.io/v1alpha1
                kind: Route
                metadata: {name: upload}
                spec:
                  http:
                  - route: [{destination: {host: up, port: {{{backend.Port}}} } }]
                    {{{(ruleLimit is null ? string.Empty : "maxRequestBodySize: " + ruleLimit.Value.ToString(CultureInfo.InvariantCulture))}}}
                """),
        limit is null ? null : new Dictionary<string, string?> { ["Higress:Limits:MaxRequestBodySize"] = limit.Value.ToString(CultureInfo.InvariantCulture) });

    [Fact]
    public async Task A_1_GB_streamed_upload_reaches_the_backend_intact_when_no_limit_is_set()
    {
        await using var backend = await CountingBackend.StartAsync();
        await using var gateway = await GatewayAsync(backend, limit: null);
        const long size = 1024 * MiB;

        using var content = new PatternContent(size, chunked: true);
        using var response = await gateway.Client.PostAsync(new Uri("/upload", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(size.ToString(CultureInfo.InvariantCulture), await response.Content.ReadAsStringAsync());
        Assert.Equal(new BodyOutcome(size, Complete: true, Intact: true), await backend.Outcome);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Over_the_limit_the_client_gets_413_and_the_backend_never_sees_a_complete_body(bool chunked)
    {
        await using var backend = await CountingBackend.StartAsync();
        await using var gateway = await GatewayAsync(backend, limit: 10 * MiB);

        var status = await RawUploadAsync(gateway.Port, 20 * MiB, chunked);

        Assert.Equal(StatusCodes.Status413PayloadTooLarge, status);
        await AssertNeverCompleteAsync(backend);
    }

    [Fact]
    public async Task A_rule_limit_overrides_the_host_limit()
    {
        await using var backend = await CountingBackend.StartAsync();
        await using var gateway = await GatewayAsync(backend, limit: null, ruleLimit: 1 * MiB);

        var status = await RawUploadAsync(gateway.Port, 4 * MiB, chunked: true);

        Assert.Equal(StatusCodes.Status413PayloadTooLarge, status);
        await AssertNeverCompleteAsync(backend);
    }

    /// <summary>
    /// Uploads the pattern over a raw connection and returns the response status. HttpClient reports a connection the
    /// gateway closes mid-upload (as it must over the limit: the rest of the body is not read) as a write error and
    /// drops the response that came before it, so this reads the response while it writes.
    /// </summary>
    private static async Task<int> RawUploadAsync(int port, long size, bool chunked)
    {
        using var socket = new TcpClient();
        await socket.ConnectAsync(IPAddress.Loopback, port);
        var stream = socket.GetStream();
        var reading = ReadStatusAsync(stream);
        try
        {
            var head = "POST /upload HTTP/1.1\r\nHost: gateway.test\r\n" + (chunked ? "Transfer-Encoding: chunked" : "Content-Length: " + size.ToString(CultureInfo.InvariantCulture)) + "\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
            for (long sent = 0; sent < size && !reading.IsCompleted;)
            {
                var n = (int)Math.Min(PatternContent.Block.Length, size - sent);
                if (chunked)
                {
                    await stream.WriteAsync(Encoding.ASCII.GetBytes(n.ToString("x", CultureInfo.InvariantCulture) + "\r\n"));
                }

                await stream.WriteAsync(PatternContent.Block.AsMemory(0, n));
                if (chunked)
                {
                    await stream.WriteAsync("\r\n"u8.ToArray());
                }

                sent += n;
            }

            if (chunked && !reading.IsCompleted)
            {
                await stream.WriteAsync("0\r\n\r\n"u8.ToArray());
            }
        }
        catch (IOException)
        {
            // The gateway answered and closed the connection before the whole body was sent.
        }

        return await reading.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private static async Task<int> ReadStatusAsync(Stream stream)
    {
        var buffer = new byte[256];
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(filled));
            if (read == 0)
            {
                break;
            }

            filled += read;
            var line = Encoding.ASCII.GetString(buffer, 0, filled);
            if (line.IndexOf("\r\n", StringComparison.Ordinal) > 12)
            {
                return int.Parse(line.AsSpan(9, 3), CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException("no status line: " + Encoding.ASCII.GetString(buffer, 0, filled));
    }

    private static async Task AssertNeverCompleteAsync(CountingBackend backend)
    {
        // A chunked body may pass up to the limit's worth of bytes before it is cut (YARP sends the head at once; the
        // fast path sends nothing when Kestrel's first read already crosses the limit), and a declared Content-Length
        // over the limit is refused before any byte is read. Either way the backend never sees a complete body.
        var outcome = await backend.Outcome.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : null, TaskScheduler.Default);
        if (outcome is not null)
        {
            Assert.False(outcome.Complete, $"the backend saw a complete body of {outcome.Bytes} bytes");
            Assert.True(outcome.Intact);
        }
    }
}

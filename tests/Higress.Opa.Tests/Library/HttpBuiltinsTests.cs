using System.Net;
using System.Net.Sockets;
using System.Text;
using Higress.Opa.Builtins;

namespace Higress.Opa.Tests.Library;

/// <summary><c>http.send</c> against a real loopback HTTP server: the body is decoded in the charset the response names.</summary>
public sealed class HttpBuiltinsTests
{
    private const string Policy = """
        package probe

        body := http.send({"method": "GET", "url": input.url}).raw_body
        """;

    [Theory]
    [InlineData("text/plain; charset=iso-8859-1", new byte[] { 0x63, 0x61, 0x66, 0xE9 })]
    [InlineData("text/plain; charset=utf-8", new byte[] { 0x63, 0x61, 0x66, 0xC3, 0xA9 })]
    [InlineData("text/plain", new byte[] { 0x63, 0x61, 0x66, 0xC3, 0xA9 })]
    public async Task The_raw_body_is_read_in_the_responses_charset_else_utf8(string contentType, byte[] body)
    {
        using var server = new TcpListener(IPAddress.Loopback, 0);
        server.Start();
        var port = ((IPEndPoint)server.LocalEndpoint).Port;
        var answered = AnswerOnceAsync(server, contentType, body);

        var query = new PolicyCompiler().WithBuiltins(BuiltinRegistry.Default).AddModule("probe.rego", Policy).Compile().PrepareQuery("data.probe.body");
        var result = await Task.Run(() => query.Evaluate(new Dictionary<string, object?> { ["url"] = $"http://127.0.0.1:{port}/" }, new EvaluationOptions { AllowNetwork = true, StrictBuiltinErrors = true }));
        await answered;

        Assert.Equal("café", result.ToObject());
    }

    private static async Task AnswerOnceAsync(TcpListener server, string contentType, byte[] body)
    {
        using var client = await server.AcceptTcpClientAsync();
        var stream = client.GetStream();
        var buffer = new byte[4096];
        var received = new StringBuilder();
        while (!received.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var n = await stream.ReadAsync(buffer);
            if (n == 0)
            {
                return;
            }

            received.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }

        var head = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: {contentType}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(head);
        await stream.WriteAsync(body);
    }
}

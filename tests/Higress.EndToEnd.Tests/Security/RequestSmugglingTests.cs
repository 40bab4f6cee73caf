using System.Globalization;
using Higress.EndToEnd.Tests.Infrastructure;

namespace Higress.EndToEnd.Tests.Security;

/// <summary>
/// Request smuggling and message framing, on raw sockets at both ends and on both forwarding paths
/// (<c>Higress:FastPath:Enabled</c> true and false): a client writes bytes that two HTTP parsers could split into
/// requests differently, and a raw backend (<see cref="RawBackend"/>) records and strictly parses what the gateway
/// forwards. Whatever the client sends, the backend only ever sees clean, complete requests the client sent as one
/// request each (never the request hidden in a body), ambiguous input is refused with 400 or a closed connection,
/// and every response reaches the client that asked for it.
/// </summary>
public sealed class RequestSmugglingTests(RequestSmugglingTests.Fixture fixture) : IClassFixture<RequestSmugglingTests.Fixture>
{
    /// <summary>The request an attacker hides in a body: it must never reach the backend.</summary>
    private const string Smuggled = "GET /smuggled HTTP/1.1\r\nHost: www.example.com\r\nX-Case: smuggled\r\n\r\n";

    private const string Head = "POST /a HTTP/1.1\r\nHost: www.example.com\r\nX-Case: {id}\r\n";

    /// <summary>What the gateway may do with a case.</summary>
    public enum Outcome
    {
        /// <summary>
        /// 400, or no answer (the connection closed, or the gateway waits for the rest of what it took as a body);
        /// the request is not forwarded complete.
        /// </summary>
        Refused,

        /// <summary>
        /// Both <c>Content-Length</c> and <c>Transfer-Encoding: chunked</c>: refused, or forwarded once by the chunked
        /// framing alone and the connection closed after the answer (RFC 9112 6.1), so nothing after the body is read.
        /// </summary>
        ChunkedThenClosed,

        /// <summary>Forwarded once with the expected body and answered by the backend, or refused.</summary>
        ForwardedOrRefused,

        /// <summary>Forwarded once with the expected body and answered by the backend.</summary>
        Forwarded,
    }

    private static readonly Dictionary<string, (string Raw, Outcome Outcome, string? Body)> Cases = new()
    {
        // CL.TE: a front end using Content-Length forwards the whole thing; one using chunked ends after "0".
        ["cl-te"] = (Head + "Content-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + Smuggled, Outcome.ChunkedThenClosed, ""),
        // TE.CL: the chunk holds the smuggled request; Content-Length ends the body after "5c\r\n".
        ["te-cl"] = (Head + "Transfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n" + Chunk(Smuggled) + "0\r\n\r\n", Outcome.ChunkedThenClosed, Smuggled),
        // TE.TE: a Transfer-Encoding one parser honours and another ignores, beside a Content-Length.
        ["te-xchunked"] = (Head + "Content-Length: 4\r\nTransfer-Encoding: xchunked\r\n\r\n" + Chunk(Smuggled) + "0\r\n\r\n", Outcome.Refused, null),
        ["te-space-before-colon"] = (Head + "Content-Length: 4\r\nTransfer-Encoding : chunked\r\n\r\n" + Chunk(Smuggled) + "0\r\n\r\n", Outcome.Refused, null),
        ["te-leading-space-value"] = (Head + "Content-Length: 4\r\nTransfer-Encoding:  chunked\r\n\r\n" + Chunk(Smuggled) + "0\r\n\r\n", Outcome.ChunkedThenClosed, Smuggled),
        ["te-tab"] = (Head + "Content-Length: 4\r\nTransfer-Encoding:\tchunked\r\n\r\n" + Chunk(Smuggled) + "0\r\n\r\n", Outcome.ChunkedThenClosed, Smuggled),
        ["te-chunked-identity"] = (Head + "Content-Length: 4\r\nTransfer-Encoding: chunked, identity\r\n\r\n" + Chunk(Smuggled) + "0\r\n\r\n", Outcome.Refused, null),
        ["te-duplicate"] = (Head + "Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\nContent-Length: 4\r\n\r\n" + Chunk(Smuggled) + "0\r\n\r\n", Outcome.Refused, null),
        ["te-identity-alone"] = (Head + "Transfer-Encoding: identity\r\n\r\n" + Chunk(Smuggled) + "0\r\n\r\n", Outcome.Refused, null),
        ["te-folded"] = (Head + "Transfer-Encoding: identity\r\n chunked\r\nContent-Length: 4\r\n\r\n" + Chunk(Smuggled) + "0\r\n\r\n", Outcome.Refused, null),
        // Content-Length: two different values are ambiguous; two equal ones may be accepted (RFC 9110 8.6).
        ["cl-duplicate-different"] = (Head + "Content-Length: 4\r\nContent-Length: 74\r\n\r\nbody" + Smuggled, Outcome.Refused, null),
        ["cl-duplicate-same"] = (Head + "Content-Length: 4\r\nContent-Length: 4\r\n\r\nbody", Outcome.ForwardedOrRefused, "body"),
        ["cl-list"] = (Head + "Content-Length: 4, 74\r\n\r\nbody" + Smuggled, Outcome.Refused, null),
        ["cl-signed"] = (Head + "Content-Length: +4\r\n\r\nbody", Outcome.ForwardedOrRefused, "body"),
        ["cl-space-before-colon"] = (Head + "Content-Length : 4\r\n\r\nbody", Outcome.Refused, null),
        // Chunked bodies: extensions are legal; a size that overflows or is not hex is not.
        ["chunk-extension"] = (Head + "Transfer-Encoding: chunked\r\n\r\n4;name=value\r\nbody\r\n0;last\r\n\r\n", Outcome.ForwardedOrRefused, "body"),
        ["chunk-size-overflow"] = (Head + "Transfer-Encoding: chunked\r\n\r\n10000000000000004\r\nbody\r\n0\r\n\r\n" + Smuggled, Outcome.Refused, null),
        ["chunk-size-huge"] = (Head + "Transfer-Encoding: chunked\r\n\r\nfffffffffff\r\nbody\r\n0\r\n\r\n" + Smuggled, Outcome.Refused, null),
        ["chunk-size-invalid"] = (Head + "Transfer-Encoding: chunked\r\n\r\n4x\r\nbody\r\n0\r\n\r\n" + Smuggled, Outcome.Refused, null),
        ["chunk-size-0x"] = (Head + "Transfer-Encoding: chunked\r\n\r\n0x4\r\nbody\r\n0\r\n\r\n" + Smuggled, Outcome.Refused, null),
        ["chunk-size-negative"] = (Head + "Transfer-Encoding: chunked\r\n\r\n-4\r\nbody\r\n0\r\n\r\n" + Smuggled, Outcome.Refused, null),
        ["chunk-data-too-long"] = (Head + "Transfer-Encoding: chunked\r\n\r\n2\r\nbody\r\n0\r\n\r\n" + Smuggled, Outcome.Refused, null),
        ["chunk-bare-lf"] = (Head + "Transfer-Encoding: chunked\r\n\r\n4\nbody\n0\n\n" + Smuggled, Outcome.Refused, null),
        // Header syntax.
        ["obs-fold"] = (Head + "X-Folded: a\r\n b\r\nContent-Length: 4\r\n\r\nbody", Outcome.Refused, null),
        ["name-with-space"] = (Head + "X Bad: 1\r\nContent-Length: 4\r\n\r\nbody", Outcome.Refused, null),
        ["name-with-tab"] = (Head + "X-Bad\t: 1\r\nContent-Length: 4\r\n\r\nbody", Outcome.Refused, null),
        ["bare-cr-in-value"] = (Head + "X-Bad: a\rb\r\nContent-Length: 4\r\n\r\nbody", Outcome.Refused, null),
        ["bare-cr-line-end"] = (Head + "X-Bad: a\rContent-Length: 4\r\n\r\nbody", Outcome.Refused, null),
        // Kestrel accepts LF alone as a line end (RFC 9112 2.2 allows it); the backend then sees CRLF, one request.
        ["bare-lf-line-ends"] = ("POST /a HTTP/1.1\nHost: www.example.com\nX-Case: {id}\nContent-Length: 4\n\nbody", Outcome.ForwardedOrRefused, "body"),
        // Plain requests, as controls: they must go through.
        ["plain-content-length"] = (Head + "Content-Length: 4\r\n\r\nbody", Outcome.Forwarded, "body"),
        ["plain-chunked"] = (Head + "Transfer-Encoding: chunked\r\n\r\n2\r\nbo\r\n2\r\ndy\r\n0\r\n\r\n", Outcome.Forwarded, "body"),
    };

    public static TheoryData<bool, string> AllCases()
    {
        var data = new TheoryData<bool, string>();
        foreach (var fastPath in new[] { true, false })
        {
            foreach (var name in Cases.Keys)
            {
                data.Add(fastPath, name);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllCases))]
    public async Task AmbiguousFraming_IsRefused_AndTheBackendSeesOnlyWholeRequests(bool fastPath, string name)
    {
        var (raw, outcome, body) = Cases[name];
        var id = Guid.NewGuid().ToString("N");
        // With two framings, waiting for a second answer: a gateway that kept reading would answer what followed the body.
        var expected = outcome == Outcome.ChunkedThenClosed ? 2 : 1;
        var exchange = await RawHttp.ExchangeAsync(fixture.Port(fastPath), raw.Replace("{id}", id, StringComparison.Ordinal), expected);
        var responses = exchange.Answers;

        var forwarded = fixture.Backend.Requests.Where(r => r.Header("X-Case") == id).ToList();
        var refused = responses.Count == 0 || responses[0].Status == 400;
        switch (outcome)
        {
            case Outcome.Refused:
                Assert.True(refused, $"{name}: expected 400 or a closed connection, got {Describe(responses)}");
                break;
            case Outcome.Forwarded:
                Assert.False(refused, $"{name}: expected the backend's answer, got {Describe(responses)}");
                break;
        }

        if (refused)
        {
            Assert.Empty(forwarded);
        }
        else
        {
            Assert.Equal(200, responses[0].Status);
            Assert.Equal($"case={id} target=/a", responses[0].Body);
            Assert.Equal(body, Assert.Single(forwarded).Body);
            Assert.True(responses.Count == 1, $"{name}: the client got more answers than it sent requests: {Describe(responses)}");
            Assert.True(outcome != Outcome.ChunkedThenClosed || exchange.Closed, $"{name}: the connection stayed open after a request with two framings");
        }

        fixture.AssertBackendSawOnlyWholeRequests();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task PipelinedRequests_AreForwardedOneByOne_AndAnsweredInOrder(bool fastPath)
    {
        var ids = Enumerable.Range(0, 4).Select(_ => Guid.NewGuid().ToString("N")).ToList();
        var raw = string.Concat(
            $"GET /a HTTP/1.1\r\nHost: www.example.com\r\nX-Case: {ids[0]}\r\n\r\n",
            $"POST /a HTTP/1.1\r\nHost: www.example.com\r\nX-Case: {ids[1]}\r\nContent-Length: {Smuggled.Length}\r\n\r\n{Smuggled}",
            $"POST /a HTTP/1.1\r\nHost: www.example.com\r\nX-Case: {ids[2]}\r\nTransfer-Encoding: chunked\r\n\r\n{Chunk(Smuggled)}0\r\n\r\n",
            $"GET /a HTTP/1.1\r\nHost: www.example.com\r\nX-Case: {ids[3]}\r\n\r\n");

        var responses = (await RawHttp.ExchangeAsync(fixture.Port(fastPath), raw, expected: ids.Count)).Answers;

        Assert.Equal(ids.Select(id => $"case={id} target=/a"), responses.Select(r => r.Body));
        foreach (var id in ids)
        {
            Assert.Single(fixture.Backend.Requests, r => r.Header("X-Case") == id);
        }

        // The bodies that look like requests arrive as bodies, byte for byte.
        Assert.Equal(Smuggled, fixture.Backend.Requests.Single(r => r.Header("X-Case") == ids[1]).Body);
        Assert.Equal(Smuggled, fixture.Backend.Requests.Single(r => r.Header("X-Case") == ids[2]).Body);
        fixture.AssertBackendSawOnlyWholeRequests();
    }

    [Theory]
    [InlineData(true, "both-framings")]
    [InlineData(false, "both-framings")]
    [InlineData(true, "short-body")]
    [InlineData(false, "short-body")]
    [InlineData(true, "extra-bytes")]
    [InlineData(false, "extra-bytes")]
    [InlineData(true, "bad-chunk")]
    [InlineData(false, "bad-chunk")]
    public async Task HostileUpstreamResponse_NeverReachesAnotherClient(bool fastPath, string hostile)
    {
        // The hostile answer carries a forged response for whoever uses the upstream connection next.
        var victim = Guid.NewGuid().ToString("N");
        var first = (await RawHttp.ExchangeAsync(fixture.Port(fastPath), $"GET /hostile/{hostile} HTTP/1.1\r\nHost: www.example.com\r\nX-Case: {Guid.NewGuid():N}\r\n\r\n")).Answers;

        Assert.DoesNotContain(first, r => r.Body.Contains("forged", StringComparison.Ordinal));

        // Several clients in turn, each on its own connection: each gets its own answer, never the forged one.
        for (var i = 0; i < 3; i++)
        {
            var id = $"{victim}-{i.ToString(CultureInfo.InvariantCulture)}";
            var next = (await RawHttp.ExchangeAsync(fixture.Port(fastPath), $"GET /a HTTP/1.1\r\nHost: www.example.com\r\nX-Case: {id}\r\n\r\n")).Answers;
            Assert.Equal($"case={id} target=/a", Assert.Single(next).Body);
        }

        fixture.AssertBackendSawOnlyWholeRequests();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ConcurrentClients_AmongSmugglingAttempts_EachGetTheirOwnAnswer(bool fastPath)
    {
        var attacks = Cases.Where(c => c.Value.Outcome == Outcome.Refused).Select(c => c.Value.Raw).Take(8).ToList();
        var clients = Enumerable.Range(0, 8).Select(async client =>
        {
            var answers = new List<(string Id, string Body)>();
            for (var i = 0; i < 4; i++)
            {
                var id = Guid.NewGuid().ToString("N");
                var raw = $"GET /a HTTP/1.1\r\nHost: www.example.com\r\nX-Case: {id}\r\n\r\n";
                answers.AddRange((await RawHttp.ExchangeAsync(fixture.Port(fastPath), raw + raw.Replace(id, id + "b", StringComparison.Ordinal), expected: 2)).Answers
                    .Select(r => (id, r.Body)));
                await RawHttp.ExchangeAsync(fixture.Port(fastPath), attacks[(client + i) % attacks.Count].Replace("{id}", id + "x", StringComparison.Ordinal));
            }

            return answers;
        });

        foreach (var answers in await Task.WhenAll(clients))
        {
            Assert.Equal(8, answers.Count);
            for (var i = 0; i < answers.Count; i += 2)
            {
                Assert.Equal($"case={answers[i].Id} target=/a", answers[i].Body);
                Assert.Equal($"case={answers[i].Id}b target=/a", answers[i + 1].Body);
            }
        }

        fixture.AssertBackendSawOnlyWholeRequests();
    }

    private static string Chunk(string data) => $"{data.Length:x}\r\n{data}\r\n";

    private static string Describe(IReadOnlyList<RawAnswer> responses)
        => responses.Count == 0 ? "no answer" : string.Join(" | ", responses.Select(r => $"{r.Status} '{r.Body}'"));

    /// <summary>
    /// One raw backend behind two gateways, one per forwarding path. Paths under <c>/hostile/</c> get malformed
    /// answers carrying a forged response (body <c>forged</c>) for the next user of the upstream connection.
    /// </summary>
    public sealed class Fixture : IAsyncLifetime
    {
        private readonly Dictionary<bool, (GatewayHost Host, int Port)> _gateways = [];

        /// <summary>The backend both gateways forward to.</summary>
        public RawBackend Backend { get; private set; } = null!;

        /// <summary>The listener port of the gateway with the fast path on or off.</summary>
        public int Port(bool fastPath) => _gateways[fastPath].Port;

        /// <summary>
        /// The backend's bytes parsed into clean, complete requests on every connection (a connection the gateway
        /// abandoned mid-request is fine: that request never reached the application), none of them smuggled.
        /// </summary>
        public void AssertBackendSawOnlyWholeRequests()
        {
            foreach (var connection in Backend.Connections)
            {
                Assert.True(connection.Error is null, $"the backend could not parse what it received ({connection.Error}):\n{connection.Bytes}");
            }

            var requests = Backend.Requests;
            Assert.DoesNotContain(requests, r => r.Target.Contains("smuggled", StringComparison.Ordinal) || r.Header("X-Case") is null or "smuggled");
            var repeated = requests.GroupBy(r => r.Header("X-Case")).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
            Assert.True(repeated.Count == 0, $"requests seen more than once by the backend: {string.Join(", ", repeated)}");
        }

        public async Task InitializeAsync()
        {
            Backend = RawBackend.Start(Answer);
            foreach (var fastPath in new[] { true, false })
            {
                var port = FreePorts.Next();
                var host = await GatewayHost.StartAsync(
                    new Dictionary<string, string>
                    {
                        ["gateway.yaml"] = Config(port),
                        ["service.yaml"] = ConformanceWorld.ServiceYaml("default", "backend", Backend.Port, servicePort: 80),
                    },
                    $"--Higress:FastPath:Enabled={fastPath.ToString(CultureInfo.InvariantCulture).ToLowerInvariant()}");
                _gateways[fastPath] = (host, port);
            }
        }

        public async Task DisposeAsync()
        {
            foreach (var (host, _) in _gateways.Values)
            {
                await host.DisposeAsync();
            }

            await Backend.DisposeAsync();
        }

        private static RawBackendAnswer Answer(RawBackendRequest request)
        {
            const string Forged = "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nforged";
            return request.Target switch
            {
                // A length-reading parser takes "5\r\nhe" as the body and the rest as the next response.
                "/hostile/both-framings" => new("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n" + Forged),
                "/hostile/short-body" => new("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort", Close: true),
                "/hostile/extra-bytes" => new("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello" + Forged),
                "/hostile/bad-chunk" => new("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5x\r\nhello\r\n0\r\n\r\n" + Forged),
                _ => RawBackend.Echo(request),
            };
        }

        private static string Config(int port) => """
            apiVersion: networking.higress.io/v1alpha1
            kind: Gateway
            metadata: {name: gw}
            spec:
              listeners:
              - protocol: HTTP
                port: PORT
            ---
            apiVersion: networking.higress.io/v1alpha1
            kind: Route
            metadata: {name: www}
            spec:
              hosts: [www.example.com]
              http:
              - route: [{destination: {host: backend, port: 80}}]
            """.Replace("PORT", port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }
}

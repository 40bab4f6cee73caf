using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Higress.Hosting.Runtime;
using Higress.Hosting.Sources;
using Higress.Hosting.Tests.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace Higress.Hosting.Tests.Balancing;

/// <summary>ServiceEntry <c>loadBalancer.consistentHash</c> on three real Kestrel backends behind a real gateway.</summary>
public sealed class ConsistentHashTests
{
    internal static string Config(string loadBalancer, IReadOnlyList<SleepingBackend> backends, string? weights = null) => $$$"""
        apiVersion: networking.higress.io/v1alpha1
        kind: ServiceEntry
        metadata: {name: pool}
        spec:
          hosts: [pool.internal]
          ports: [{number: 80, name: http}]
          endpoints: [{{{string.Join(", ", backends.Select((b, i) => string.Create(CultureInfo.InvariantCulture, $"{{address: 127.0.0.1, ports: {{http: {b.Port}}}{(weights is null ? "" : ", weight: " + weights.Split(':')[i])}}}")))}}}]
          trafficPolicy: {loadBalancer: {{{loadBalancer}}} }
        ---
        {{{LoopbackGateway.Route(LoopbackGateway.ForwardTo("pool.internal", 80))}}}
        """;

    private static int[] Counts(SleepingBackend[] backends) => [.. backends.Select(b => b.Requests)];

    /// <summary>Sends <paramref name="count"/> GETs and returns the backend that got all of them, or fails.</summary>
    private static async Task<int> StickyBackendAsync(HttpClient client, SleepingBackend[] backends, int count, Func<HttpRequestMessage> request)
    {
        var before = Counts(backends);
        for (var i = 0; i < count; i++)
        {
            using var message = request();
            using var response = await client.SendAsync(message);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var delta = Counts(backends).Select((c, i) => c - before[i]).ToArray();
        Assert.Equal(count, Assert.Single(delta, d => d != 0));
        return Array.IndexOf(delta, count);
    }

    private static HttpRequestMessage Get(string path, string? header = null, string? cookie = null)
    {
        var message = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (header is not null)
        {
            message.Headers.Add("x-user", header);
        }

        if (cookie is not null)
        {
            message.Headers.Add("Cookie", cookie);
        }

        return message;
    }

    [Theory]
    [InlineData("{ringHash: {minimumRingSize: 1024}}")]
    [InlineData("{maglev: {}}")]
    public Task The_same_header_goes_to_the_same_backend_over_100_requests_and_keys_spread(string table) =>
        SleepingBackend.WithManyAsync(3, async backends =>
        {
            await using var gateway = await LoopbackGateway.StartAsync(r => r.AddYaml(Config($"{{consistentHash: {{httpHeaderName: x-user, {table[1..^1]}}}}}", backends)));

            var alice = await StickyBackendAsync(gateway.Client, backends, 100, () => Get("/", "alice"));

            Assert.InRange(alice, 0, 2);
            var owners = new HashSet<int>();
            for (var user = 0; user < 30; user++)
            {
                owners.Add(await StickyBackendAsync(gateway.Client, backends, 3, () => Get("/", "user-" + user.ToString(CultureInfo.InvariantCulture))));
            }

            Assert.Equal(3, owners.Count);
        });

    [Fact]
    public Task A_request_without_the_header_is_balanced_at_random() =>
        SleepingBackend.WithManyAsync(3, async backends =>
        {
            await using var gateway = await LoopbackGateway.StartAsync(r => r.AddYaml(Config("{consistentHash: {httpHeaderName: x-user}}", backends)));

            for (var i = 0; i < 150; i++)
            {
                using var response = await gateway.Client.GetAsync(new Uri("/", UriKind.Relative));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }

            Assert.All(backends, b => Assert.True(b.Requests > 0));
        });

    [Fact]
    public Task A_query_parameter_keeps_its_backend() =>
        SleepingBackend.WithManyAsync(3, async backends =>
        {
            await using var gateway = await LoopbackGateway.StartAsync(r => r.AddYaml(Config("{consistentHash: {httpQueryParameterName: u}}", backends)));

            var owners = new HashSet<int>();
            for (var user = 0; user < 30; user++)
            {
                owners.Add(await StickyBackendAsync(gateway.Client, backends, 5, () => Get("/?u=" + user.ToString(CultureInfo.InvariantCulture) + "&x=" + Random.Shared.Next().ToString(CultureInfo.InvariantCulture))));
            }

            Assert.Equal(3, owners.Count);
        });

    [Fact]
    public Task A_missing_cookie_is_generated_and_then_honoured() =>
        SleepingBackend.WithManyAsync(3, async backends =>
        {
            await using var gateway = await LoopbackGateway.StartAsync(r => r.AddYaml(Config("{consistentHash: {httpCookie: {name: sticky, path: /app, ttl: 3600s}}}", backends)));
            using var client = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = gateway.Client.BaseAddress };

            var owners = new HashSet<int>();
            for (var session = 0; session < 20; session++)
            {
                var before = Counts(backends);
                using var first = await client.GetAsync(new Uri("/", UriKind.Relative));
                var setCookie = Assert.Single(first.Headers.GetValues("Set-Cookie"));
                Assert.Matches("^sticky=[0-9a-f]{16}; max-age=3600; path=/app; httponly$", setCookie);
                var firstOwner = Counts(backends).Select((c, i) => c - before[i]).ToList().IndexOf(1);

                var cookie = setCookie.Split(';')[0];
                var owner = await StickyBackendAsync(client, backends, 10, () => Get("/", cookie: cookie));
                Assert.Equal(firstOwner, owner);
                owners.Add(owner);

                using var again = await client.SendAsync(Get("/", cookie: cookie));
                Assert.False(again.Headers.Contains("Set-Cookie"));
            }

            Assert.True(owners.Count > 1);
        });

    [Fact]
    public Task A_ttl_of_0s_generates_a_session_cookie() =>
        SleepingBackend.WithManyAsync(2, async backends =>
        {
            await using var gateway = await LoopbackGateway.StartAsync(r => r.AddYaml(Config("{consistentHash: {httpCookie: {name: s, ttl: 0s}}}", backends)));
            using var client = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = gateway.Client.BaseAddress };

            using var response = await client.GetAsync(new Uri("/", UriKind.Relative));

            Assert.Matches("^s=[0-9a-f]{16}; httponly$", Assert.Single(response.Headers.GetValues("Set-Cookie")));
        });

    [Fact]
    public Task Each_source_ip_keeps_its_backend() =>
        SleepingBackend.WithManyAsync(3, async backends =>
        {
            await using var gateway = await LoopbackGateway.StartAsync(r => r.AddYaml(Config("{consistentHash: {useSourceIp: true}}", backends)));

            // Every 127.x address is loopback on Linux; each client binds its own as the source.
            var owners = new HashSet<int>();
            for (var host = 2; host < 32; host++)
            {
                using var client = ClientFrom(IPAddress.Parse("127.0.0." + host.ToString(CultureInfo.InvariantCulture)), gateway.Client.BaseAddress!);
                owners.Add(await StickyBackendAsync(client, backends, 5, () => Get("/")));
            }

            Assert.Equal(3, owners.Count);
        });

    [Fact]
    public Task A_bad_edit_is_refused_and_the_last_good_hash_keeps_serving() =>
        SleepingBackend.WithManyAsync(3, async backends =>
        {
            using var source = new CodeResourceSource(r => r.AddYaml(Config("{consistentHash: {httpHeaderName: x-user}}", backends)));
            await using var gateway = await LoopbackGateway.StartAsync(_ => { }, higress: h => h.Services.AddSingleton<Core.Resources.Sources.IResourceSource>(source));
            var owner = await StickyBackendAsync(gateway.Client, backends, 20, () => Get("/", "alice"));

            source.Update(r => r.AddYaml(Config("{consistentHash: {httpHeaderName: x-user, useSourceIp: true}}", backends)));
            gateway.Services.GetRequiredService<HigressConfigurationLoop>().Rebuild();

            var runtime = gateway.Services.GetRequiredService<HigressRuntime>();
            Assert.Contains(runtime.Current.Translation.Diagnostics, d => d.FieldPath == "spec.trafficPolicy.loadBalancer.consistentHash" && d.Message.Contains("only one key", StringComparison.Ordinal));
            Assert.Contains(runtime.Current.Translation.Diagnostics, d => d.Object == "ServiceEntry default/pool" && d.Message.Contains("the last good version of this object keeps serving", StringComparison.Ordinal));
            Assert.Equal("x-user", Assert.Single(runtime.Current.Plan.Clusters).ConsistentHash?.Name);
            Assert.Equal(owner, await StickyBackendAsync(gateway.Client, backends, 20, () => Get("/", "alice")));
        });

    private static HttpClient ClientFrom(IPAddress source, Uri baseAddress) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, token) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(source, 0));
                await socket.ConnectAsync(context.DnsEndPoint, token);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    })
    { BaseAddress = baseAddress };
}

using System.Text;
using Higress.Core.Tests.Plugins;

namespace Higress.EndToEnd.Tests.Security;

/// <summary>
/// key-auth, basic-auth and hmac-auth end to end, each with the configs of Higress's own documentation (verbatim),
/// on a real recording backend: what the client gets, and what the backend did or did not receive.
/// </summary>
public sealed class AuthPluginTests
{
    private static string Extension(string name, string plugin, string config, string? ruleConfig = null) => $"""
        apiVersion: networking.higress.io/v1alpha1
        kind: Extension
        metadata: {"{"}name: {name}, namespace: default{"}"}
        spec:
          plugin: {plugin}
          config:
        {ConsumerTests.Indent(config, 4)}
        """ + (ruleConfig is null ? string.Empty : $"""

          matchRules:
          - route: [route-a, route-b]
            config:
        {ConsumerTests.Indent(ruleConfig, 6)}
        """);

    [Fact]
    public async Task Key_auth_with_Higress_instance_level_example_accepts_the_key_in_a_header_or_the_query_and_forwards_it()
    {
        // Higress's key-auth README, "Enabling at the Instance Level": the same consumers and keys with global_auth true.
        var config = ConsumerTests.DocInstanceConfig.Replace("global_auth: false", "global_auth: true", StringComparison.Ordinal);
        await using var world = await AuthWorld.StartAsync(Extension("key-auth", "key-auth", config));

        var (byQuery, forwarded) = await world.SendAsync("/open/test?apikey=2bda943c-ba2b-11ec-ba07-00163e1250b5");
        Assert.Equal(200, byQuery.Code);
        Assert.Equal("consumer1", forwarded!.Headers["X-Mse-Consumer"]);
        Assert.Contains("apikey=2bda943c-ba2b-11ec-ba07-00163e1250b5", forwarded.RawTarget, StringComparison.Ordinal);

        var (byHeader, viaHeader) = await world.SendAsync("/open/test", headers: [("x-api-key", "c8c8e9ca-558e-4a2d-bb62-e700dcc40e35")]);
        Assert.Equal(200, byHeader.Code);
        Assert.Equal("consumer2", viaHeader!.Headers["X-Mse-Consumer"]);

        var (invalid, none) = await world.SendAsync("/open/test?apikey=926d90ac-ba2e-11ec-ab68-00163e1250b5");
        Assert.Equal(401, invalid.Code);
        Assert.Equal("Request denied by Key Auth check. Invalid API key", invalid.Body);
        Assert.Null(none);

        var (twice, notTwice) = await world.SendAsync("/open/test?apikey=2bda943c-ba2b-11ec-ba07-00163e1250b5", headers: [("x-api-key", "2bda943c-ba2b-11ec-ba07-00163e1250b5")]);
        Assert.Equal(401, twice.Code);
        Assert.Equal("Request denied by Key Auth check. Multiple API keys found in request", twice.Body);
        Assert.Null(notTwice);
    }

    [Fact]
    public async Task Basic_auth_with_Higress_example_authenticates_refuses_and_authorizes_as_documented()
    {
        // Higress's basic-auth README: the instance config and the route config, verbatim.
        const string instance = """
            consumers:
            - credential: 'admin:123456'
              name: consumer1
            - credential: 'guest:abc'
              name: consumer2
            global_auth: false
            """;
        const string route = """
            allow:
            - consumer1
            """;
        await using var world = await AuthWorld.StartAsync(Extension("basic-auth", "basic-auth", instance, route));

        var (ok, forwarded) = await world.SendAsync("/a/test", headers: [("Authorization", "Basic YWRtaW46MTIzNDU2")]);
        Assert.Equal(200, ok.Code);
        Assert.Equal("consumer1", forwarded!.Headers["X-Mse-Consumer"]);

        var (none, notForwarded) = await world.SendAsync("/a/test");
        Assert.Equal(401, none.Code);
        Assert.Equal("Request denied by Basic Auth check. No Basic Authentication information found.", none.Body);
        Assert.Equal("Basic realm=MSE Gateway", none.HeaderValue("WWW-Authenticate"));
        Assert.Null(notForwarded);

        var (wrong, wrongForwarded) = await world.SendAsync("/a/test", headers: [("Authorization", "Basic " + Convert.ToBase64String("admin:abc"u8))]);
        Assert.Equal(401, wrong.Code);
        Assert.Equal("Request denied by Basic Auth check. Invalid username and/or password.", wrong.Body);
        Assert.Null(wrongForwarded);

        var (guest, guestForwarded) = await world.SendAsync("/a/test", headers: [("Authorization", "Basic " + Convert.ToBase64String("guest:abc"u8))]);
        Assert.Equal(403, guest.Code);
        Assert.Equal("Request denied by Basic Auth check. Unauthorized consumer.", guest.Body);
        Assert.Null(guestForwarded);

        Assert.Equal(200, (await world.SendAsync("/open")).Response.Code);
    }

    [Fact]
    public async Task Hmac_auth_with_Higress_instance_level_example_verifies_signatures_and_body_digests_and_forwards_the_body_intact()
    {
        // Higress's hmac-auth README, "Gateway Instance Level Activation", verbatim.
        const string config = """
            global_auth: true
            consumers:
            - key: appKey-example-1
              secret: appSecret-example-1
              name: consumer-1
            - key: appKey-example-2
              secret: appSecret-example-2
              name: consumer-2
            """;
        await using var world = await AuthWorld.StartAsync(Extension("hmac-auth", "hmac-auth", config));
        using var http = new HttpClient();

        async Task<(int Status, string Body, HttpResponseMessage Response)> Post(string path, string body, string contentType, string? md5, string secret = "appSecret-example-2")
        {
            (string, string)[] headers = md5 is null
                ? [("Content-Type", contentType), ("Accept", "application/json"), ("x-ca-nonce", Guid.NewGuid().ToString())]
                : [("Content-Type", contentType), ("Accept", "application/json"), ("Content-MD5", md5), ("x-ca-nonce", Guid.NewGuid().ToString())];
            var form = contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.Ordinal) ? body : null;
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"http://127.0.0.1:{world.Port}{path}"));
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            foreach (var (name, value) in HmacSigner.Sign("appKey-example-2", secret, "POST", path, headers, form))
            {
                if (!request.Headers.TryAddWithoutValidation(name, value))
                {
                    request.Content.Headers.TryAddWithoutValidation(name, value);
                }
            }

            var response = await http.SendAsync(request);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(), response);
        }

        const string json = """{"order": 42}""";
        var marker = Guid.NewGuid().ToString("N");
        var (status, _, _) = await Post($"/open/orders?m={marker}", json, "application/json", HmacSigner.ContentMd5(json));
        Assert.Equal(200, status);
        var forwarded = world.Forwarded(marker)!;
        Assert.Equal("consumer-2", forwarded.Headers["X-Mse-Consumer"]);
        Assert.Equal(json, Encoding.UTF8.GetString(forwarded.Body));

        var formMarker = Guid.NewGuid().ToString("N");
        var (formStatus, _, _) = await Post($"/open/http2test/test?param1=test&m={formMarker}", "username=xiaoming&password=123456789", "application/x-www-form-urlencoded; charset=utf-8", null);
        Assert.Equal(200, formStatus);
        Assert.Equal("username=xiaoming&password=123456789", Encoding.UTF8.GetString(world.Forwarded(formMarker)!.Body));

        var badMd5 = Guid.NewGuid().ToString("N");
        var (md5Status, md5Body, _) = await Post($"/open/orders?m={badMd5}", json, "application/json", HmacSigner.ContentMd5("something else"));
        Assert.Equal((400, "Invalid Content-MD5"), (md5Status, md5Body));
        Assert.Null(world.Forwarded(badMd5));

        var badSignature = Guid.NewGuid().ToString("N");
        var (signatureStatus, signatureBody, response) = await Post($"/open/orders?m={badSignature}", json, "application/json", null, secret: "guessed");
        Assert.Equal((400, "Invalid Signature"), (signatureStatus, signatureBody));
        Assert.StartsWith("Server StringToSign:`POST#application/json##application/json##", response.Headers.GetValues("X-Ca-Error-Message").Single(), StringComparison.Ordinal);
        Assert.Null(world.Forwarded(badSignature));

        var (unsigned, none) = await world.SendAsync("/open/orders", headers: [("x-ca-key", "appKey-example-1")]);
        Assert.Equal((401, "Empty Signature"), (unsigned.Code, unsigned.Body));
        Assert.Null(none);
    }
}

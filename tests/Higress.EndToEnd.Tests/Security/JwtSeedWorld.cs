using Higress.EndToEnd.Tests.Infrastructure;
using Higress.Tests.Jwt;

namespace Higress.EndToEnd.Tests.Security;

/// <summary>
/// The seed of CONFIG.md with its jwt-auth Extension, served from a config directory: a recording backend for
/// my-service, a JWKS server on 127.0.0.1 (started or not), and the gateway. Only the port and jwks_uri differ from
/// the seed.
/// </summary>
internal sealed class JwtSeedWorld : IAsyncDisposable
{
    private JwtSeedWorld(EchoBackend backend, JwksServer jwks, GatewayHost gateway, int port)
    {
        Backend = backend;
        Jwks = jwks;
        Gateway = gateway;
        Port = port;
    }

    public static JwtTestKeys Keys => JwtTestKeys.Shared;

    public EchoBackend Backend { get; }

    public JwksServer Jwks { get; }

    public GatewayHost Gateway { get; }

    public int Port { get; }

    /// <summary>The seed's Gateway and jwt-auth Extension; only the listener port and jwks_uri differ.</summary>
    public static string Seed(int port, string jwksUri) => $$"""
        apiVersion: networking.higress.io/v1alpha1
        kind: Gateway
        metadata:
          name: example-gateway
        spec:
          listeners:
          - protocol: HTTP
            port: {{port}}
            routes:
            - name: example-route
              route:
                - destination:
                    host: my-service
                    port: 80
        ---
        apiVersion: networking.higress.io/v1alpha1
        kind: Extension
        metadata:
          name: jwt-auth
        spec:
          type: authentication
          config:
            jwt:
              issuer: "example.com"
              jwks_uri: "{{jwksUri}}"
        """;

    /// <summary>Starts the world; <paramref name="jwksUri"/> overrides the JWKS server's URL in the Extension.</summary>
    public static async Task<JwtSeedWorld> StartAsync(bool startJwks = true, string? jwksUri = null)
    {
        var backend = await EchoBackend.StartAsync("default", "my-service-pod");
        var jwks = new JwksServer(Keys.Jwks(withHmac: false), FreePorts.Next());
        if (startJwks)
        {
            await jwks.StartAsync();
        }

        var port = FreePorts.Next();
        var gateway = await GatewayHost.StartAsync(new Dictionary<string, string>
        {
            ["seed.yaml"] = Seed(port, jwksUri ?? jwks.Uri),
            ["my-service.yaml"] = ConformanceWorld.ServiceYaml("default", "my-service", backend.Port, servicePort: 80),
        });
        return new JwtSeedWorld(backend, jwks, gateway, port);
    }

    /// <summary>Sends a request with the token as a bearer token (none when null) and any further headers.</summary>
    public Task<GatewayResponse> SendAsync(string? token, string path = "/", params KeyValuePair<string, string>[] headers)
    {
        var all = new List<KeyValuePair<string, string>>(headers);
        if (token is not null)
        {
            all.Add(KeyValuePair.Create("Authorization", "Bearer " + token));
        }

        return Gateway.SendAsync(Port, "api.example.com", path, headers: all);
    }

    public async ValueTask DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Jwks.DisposeAsync();
        await Backend.DisposeAsync();
    }
}

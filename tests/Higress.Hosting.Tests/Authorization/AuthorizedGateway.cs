using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Higress.Hosting.Tests.Authorization;

/// <summary>
/// A gateway host with the user's own JwtBearer handler (real HS256 tokens) and an <c>admins</c> policy, in front of a
/// Kestrel backend that records every request it receives.
/// </summary>
internal sealed class AuthorizedGateway : IAsyncDisposable
{
    public const string Issuer = "https://issuer.test";
    public const string Audience = "gateway";
    private static readonly SymmetricSecurityKey Key = new(Encoding.UTF8.GetBytes("a-test-signing-key-of-at-least-32-bytes!!"));

    private readonly WebApplication _gateway;
    private readonly WebApplication _backend;

    private readonly ConcurrentQueue<(string Path, string Consumer)> _received;

    private AuthorizedGateway(WebApplication gateway, WebApplication backend, HttpClient client, ConcurrentQueue<(string Path, string Consumer)> received)
    {
        _gateway = gateway;
        _backend = backend;
        Client = client;
        _received = received;
    }

    /// <summary>A client for the gateway listener.</summary>
    public HttpClient Client { get; }

    /// <summary>Starts the backend and a gateway serving <paramref name="yaml"/>, with <c>{{backend}}</c> replaced by the backend's port and <c>{{port}}</c> by the listener's.</summary>
    public static async Task<AuthorizedGateway> StartAsync(
        string yaml, Action<HigressEndpointConventionBuilder>? conventions = null, Action<IServiceCollection>? services = null, bool addAuthentication = true)
    {
        var received = new ConcurrentQueue<(string, string)>();
        var backendPort = FreePort();
        var backendBuilder = WebApplication.CreateSlimBuilder();
        backendBuilder.WebHost.UseUrls($"http://127.0.0.1:{backendPort}");
        backendBuilder.Logging.ClearProviders();
        var backend = backendBuilder.Build();
        backend.Run(context =>
        {
            received.Enqueue((context.Request.Path.Value ?? string.Empty, context.Request.Headers["X-Mse-Consumer"].ToString()));
            return context.Response.WriteAsync("backend");
        });
        await backend.StartAsync();

        var port = FreePort();
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{FreePort()}");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Higress:Admin:Port"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Higress:BindAddress"] = "127.0.0.1",
        });
        var config = yaml.Replace("{{backend}}", backendPort.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{{port}}", port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        builder.Services.AddHigress(resources => resources.AddYaml(config).AddService("backend", backendPort, ["127.0.0.1"]));
        if (addAuthentication)
        {
            builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options =>
            {
                options.MapInboundClaims = false;
                options.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = Issuer,
                    ValidAudience = Audience,
                    IssuerSigningKey = Key,
                    NameClaimType = "sub",
                    RoleClaimType = "role",
                };
            });
            builder.Services.AddAuthorization(options => options.AddPolicy("admins", policy => policy.RequireAuthenticatedUser().RequireRole("admin")));
        }

        services?.Invoke(builder.Services);
        var gateway = builder.Build();
        var mapped = gateway.MapHigress();
        conventions?.Invoke(mapped);
        try
        {
            await gateway.StartAsync();
        }
        catch
        {
            await gateway.DisposeAsync();
            await backend.DisposeAsync();
            throw;
        }

        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        return new AuthorizedGateway(gateway, backend, client, received);
    }

    /// <summary>What the backend received, in order: the path and <c>X-Mse-Consumer</c> (empty when absent).</summary>
    public IReadOnlyList<(string Path, string Consumer)> Backend => [.. _received];

    /// <summary>A token signed with the key the JwtBearer handler trusts.</summary>
    public static string Token(string subject, string role) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = Issuer,
        Audience = Audience,
        Expires = DateTime.UtcNow.AddMinutes(5),
        Claims = new Dictionary<string, object> { ["sub"] = subject, ["role"] = role },
        SigningCredentials = new SigningCredentials(Key, SecurityAlgorithms.HmacSha256),
    });

    /// <summary>Sends GET <paramref name="path"/> with an optional bearer token and headers.</summary>
    public async Task<HttpResponseMessage> GetAsync(string path, string? token = null, string? host = null, params (string Name, string Value)[] headers)
    {
        // The listener opens when the first plan is applied; retry briefly until it does.
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (token is not null)
            {
                request.Headers.Authorization = new("Bearer", token);
            }

            if (host is not null)
            {
                request.Headers.Host = host;
            }

            foreach (var (name, value) in headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            try
            {
                return await Client.SendAsync(request);
            }
            catch (HttpRequestException) when (attempt < 50)
            {
                await Task.Delay(100);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _gateway.StopAsync();
        await _gateway.DisposeAsync();
        await _backend.StopAsync();
        await _backend.DisposeAsync();
    }

    private static int FreePort() => TestPorts.Next();
}

/// <summary>A custom scheme: the caller names itself in <c>X-User</c> (and <c>X-Role</c>); default 401/403 handling.</summary>
internal sealed class HeaderAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "header";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Request.Headers["X-User"].ToString() is not { Length: > 0 } user)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, user), new Claim(ClaimTypes.Role, Request.Headers["X-Role"].ToString())], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}

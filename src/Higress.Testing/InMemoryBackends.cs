using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;

namespace Higress.Testing;

/// <summary>In-memory backends, each a TestServer, addressed by host and port.</summary>
internal sealed class InMemoryBackends : IAsyncDisposable
{
    private readonly Dictionary<string, (WebApplication App, HttpMessageHandler Handler)> _servers = new(StringComparer.Ordinal);

    /// <summary>
    /// The one form of a backend's address, for registration and lookup alike: a URI drops its scheme's default port
    /// from <see cref="Uri.Authority"/> (<c>svc:80</c> becomes <c>svc</c>), so both sides name the port explicitly.
    /// </summary>
    public static string Address(string host, int port) =>
        host.ToLowerInvariant() + ":" + port.ToString(CultureInfo.InvariantCulture);

    /// <summary>The addresses backends listen on, sorted, for diagnostics.</summary>
    public IReadOnlyList<string> Addresses => [.. _servers.Keys.Order(StringComparer.Ordinal)];

    public async Task AddAsync(string address, RequestDelegate handler)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.Sources.Clear();
        builder.WebHost.UseTestServer(o => o.PreserveExecutionContext = true);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Run(handler);
        await app.StartAsync().ConfigureAwait(false);
        _servers[address] = (app, app.GetTestServer().CreateHandler());
    }

    public HttpMessageHandler? Find(Uri uri) =>
        _servers.TryGetValue(Address(uri.IdnHost, uri.Port), out var server) ? server.Handler : null;

    public async ValueTask DisposeAsync()
    {
        foreach (var (app, _) in _servers.Values)
        {
            await app.DisposeAsync().ConfigureAwait(false);
        }
    }
}

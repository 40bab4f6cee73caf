using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Higress.Hosting.Testing;

/// <summary>In-memory backends, each a TestServer, addressed by <c>host:port</c>.</summary>
internal sealed class InMemoryBackends : IAsyncDisposable
{
    private readonly Dictionary<string, (WebApplication App, HttpMessageHandler Handler)> _servers = new(StringComparer.OrdinalIgnoreCase);

    public async Task AddAsync(string authority, RequestDelegate handler)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Run(handler);
        await app.StartAsync().ConfigureAwait(false);
        _servers[authority] = (app, app.GetTestServer().CreateHandler());
    }

    public HttpMessageHandler? Find(Uri uri) => _servers.TryGetValue(uri.Authority, out var server) ? server.Handler : null;

    public async ValueTask DisposeAsync()
    {
        foreach (var (app, _) in _servers.Values)
        {
            await app.DisposeAsync().ConfigureAwait(false);
        }
    }
}

/// <summary>Gives YARP an HTTP client that reaches the in-memory backends instead of the network.</summary>
internal sealed class InMemoryForwarderClientFactory(InMemoryBackends backends) : IForwarderHttpClientFactory
{
    public HttpMessageInvoker CreateClient(ForwarderHttpClientContext context) => new(new Dispatcher(backends), disposeHandler: true);

    private sealed class Dispatcher(InMemoryBackends backends) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var handler = backends.Find(request.RequestUri!)
                ?? throw new HttpRequestException($"No in-memory backend listens on {request.RequestUri!.Authority}; add it with AddBackend.");
            return new HttpMessageInvoker(handler, disposeHandler: false).SendAsync(request, cancellationToken);
        }
    }
}

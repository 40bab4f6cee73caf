using Yarp.ReverseProxy.Forwarder;

namespace Higress.Testing;

/// <summary>Gives YARP an HTTP client that reaches the in-memory backends instead of the network.</summary>
internal sealed class InMemoryForwarderClientFactory(InMemoryBackends backends) : IForwarderHttpClientFactory
{
    public HttpMessageInvoker CreateClient(ForwarderHttpClientContext context) => new(new Dispatcher(backends), disposeHandler: true);

    private sealed class Dispatcher(InMemoryBackends backends) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var uri = request.RequestUri!;
            var exchange = GatewayExchange.Current;
            var handler = backends.Find(uri);
            if (handler is null)
            {
                var known = backends.Addresses;
                var message = $"No in-memory backend listens on {InMemoryBackends.Address(uri.IdnHost, uri.Port)}; "
                    + (known.Count == 0 ? "none is declared" : "declared: " + string.Join(", ", known))
                    + ". Declare it with AddBackend(service, port, handler), and point the route at that service and port.";
                exchange?.DispatchFailed(message);
                throw new HttpRequestException(message);
            }

            exchange?.Forwarded(InMemoryBackends.Address(uri.IdnHost, uri.Port));
            return new HttpMessageInvoker(handler, disposeHandler: false).SendAsync(request, cancellationToken);
        }
    }
}

namespace Higress.Hosting.Resilience;

/// <summary>
/// The outermost handler of every cluster's forwarder client. A request without an <see cref="UpstreamCall"/> goes
/// straight through; otherwise the rule's retry policy runs here, below YARP's forwarder and above the connection
/// pool, where nothing has reached the client yet: a retried try never leaks a byte of the failed one.
/// </summary>
internal sealed class UpstreamHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!request.Options.TryGetValue(UpstreamCall.Key, out var call))
        {
            return base.SendAsync(request, cancellationToken);
        }

        return call.Route.Rule.Retry is { } retry
            ? retry.SendAsync(this, call, request, cancellationToken)
            : SendOnceAsync(call, request, cancellationToken);
    }

    /// <summary>
    /// Sends one try to <see cref="UpstreamCall.Destination"/> and reports its outcome to the cluster's observers.
    /// When the call carries a buffered body, the try gets a fresh copy of it.
    /// </summary>
    public async Task<HttpResponseMessage> SendOnceAsync(UpstreamCall call, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (call.BufferedBody is { } body && request.Content is { } content)
        {
            request.Content = CopyOf(body, content);
        }

        call.Tries++;
        var destination = call.Destination;
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken);
        }
        catch (Exception ex) when (destination is not null)
        {
            Observe(call, destination, null, ex);
            throw;
        }

        if (destination is not null)
        {
            Observe(call, destination, response, null);
        }

        return response;
    }

    private static void Observe(UpstreamCall call, Yarp.ReverseProxy.Model.DestinationState destination, HttpResponseMessage? response, Exception? error)
    {
        foreach (var observer in call.Cluster.Observers)
        {
            observer.OnTry(call, destination, response, error);
        }
    }

    // Each try needs content of its own (content is consumed by sending it); the headers travel with it.
    private static HttpContent CopyOf(ReadOnlyMemory<byte> body, HttpContent original)
    {
        var copy = new ReadOnlyMemoryContent(body);
        foreach (var header in original.Headers)
        {
            copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        return copy;
    }
}

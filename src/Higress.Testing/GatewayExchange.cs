using System.Runtime.CompilerServices;

namespace Higress.Testing;

/// <summary>
/// What happened to one request sent by a <see cref="HigressTestHost.CreateClient"/> client: which in-memory backend
/// it reached, or why none. It flows from the client into the gateway with the execution context (the test servers
/// preserve it), so the dispatcher can tell <see cref="HigressTestHost.EnsureRoutedAsync"/> whether the gateway
/// answered itself.
/// </summary>
internal sealed class GatewayExchange
{
    private static readonly AsyncLocal<GatewayExchange?> Ambient = new();
    private static readonly ConditionalWeakTable<HttpRequestMessage, GatewayExchange> ByRequest = [];

    public static GatewayExchange? Current => Ambient.Value;

    /// <summary>The address of the backend the gateway forwarded to, or null.</summary>
    public string? Backend { get; private set; }

    /// <summary>Why the in-memory dispatcher found no backend, or null.</summary>
    public string? DispatchError { get; private set; }

    public static GatewayExchange? Of(HttpRequestMessage request) => ByRequest.TryGetValue(request, out var exchange) ? exchange : null;

    public void Forwarded(string backend) => Backend = backend;

    public void DispatchFailed(string reason) => DispatchError = reason;

    /// <summary>Stamps each request with a new exchange before it enters the gateway.</summary>
    internal sealed class Recorder(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        // async so that the ambient value is scoped to this call and never leaks into the test's own context.
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var exchange = new GatewayExchange();
            ByRequest.AddOrUpdate(request, exchange);
            Ambient.Value = exchange;
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
    }
}

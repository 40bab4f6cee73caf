using Higress.Hosting.Tests.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Higress.Kubernetes.Tests.Fake;

/// <summary>A loopback backend that answers every request with its name, and the Service and EndpointSlice that put it in the fake cluster.</summary>
internal sealed class NamedBackend(WebApplication app, int port, string name) : IAsyncDisposable
{
    public int Port { get; } = port;

    public string Name { get; } = name;

    /// <summary>Starts the backend and stores Service <c>default/NAME</c> (port 80) with an EndpointSlice for it in <paramref name="api"/>.</summary>
    public static async Task<NamedBackend> StartAsync(FakeKubeApiServer api, string name)
    {
        var backend = await LoopbackBackend.StartAsync((app, port) => new NamedBackend(app, port, name), b => context => context.Response.WriteAsync(b.Name));
        api.Put("""{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "NAME", "namespace": "default"}, "spec": {"ports": [{"name": "http", "port": 80}]}}"""
            .Replace("NAME", name, StringComparison.Ordinal));
        api.Put("""
            {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
             "metadata": {"name": "NAME-1", "namespace": "default", "labels": {"kubernetes.io/service-name": "NAME"}},
             "addressType": "IPv4", "ports": [{"name": "http", "port": PORT}], "endpoints": [{"addresses": ["127.0.0.1"]}]}
            """.Replace("NAME", name, StringComparison.Ordinal).Replace("PORT", backend.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        return backend;
    }

    /// <summary>A Route <c>default/NAME</c> sending <paramref name="prefix"/> to <paramref name="service"/>.</summary>
    public static string Route(string name, string prefix, string service, string extra = "") => """
        {"apiVersion": "networking.higress.io/v1alpha1", "kind": "Route", "metadata": {"name": "NAME", "namespace": "default"},
         "spec": {"gateways": ["gw"], "http": [{"match": [{"uri": {"prefix": "PREFIX"}}], "route": [{"destination": {"host": "SERVICE", "port": 80}}]}]}EXTRA}
        """.Replace("NAME", name, StringComparison.Ordinal).Replace("PREFIX", prefix, StringComparison.Ordinal)
        .Replace("SERVICE", service, StringComparison.Ordinal).Replace("EXTRA", extra, StringComparison.Ordinal);

    public ValueTask DisposeAsync() => LoopbackBackend.StopAsync(app);
}

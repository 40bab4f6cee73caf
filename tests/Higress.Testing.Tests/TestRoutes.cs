using Microsoft.AspNetCore.Http;

namespace Higress.Testing.Tests;

/// <summary>Objects and handlers the test-host tests share.</summary>
internal static class TestRoutes
{
    public const string Shop = """
        apiVersion: networking.higress.io/v1alpha1
        kind: Gateway
        metadata: {name: edge}
        spec:
          listeners: [{protocol: HTTP, port: 80, hostnames: ["*.example.com"]}]
        ---
        apiVersion: networking.higress.io/v1alpha1
        kind: Route
        metadata: {name: shop}
        spec:
          http:
          - match: [{uri: {prefix: /orders}}]
            rewrite: {uri: /v2/orders}
            headers: {request: {set: {x-gateway: higress}}, response: {add: {x-route: shop}}}
            route: [{destination: {host: orders, port: 8080}}]
          - match: [{uri: {exact: /old}}]
            redirect: {uri: /new, redirectCode: 308}
        """;

    /// <summary>Starts a host serving <see cref="Shop"/> with the echoing <c>orders</c> backend, plus <paramref name="more"/>.</summary>
    public static Task<HigressTestHost> StartShopAsync(Action<HigressTestHostBuilder>? more = null) => HigressTestHost.StartAsync(h =>
    {
        h.AddYaml(Shop).AddBackend("orders", 8080, c => Echo(c, "orders"));
        more?.Invoke(h);
    });

    public static Task Echo(HttpContext context, string name) =>
        context.Response.WriteAsync($"{name} {context.Request.Path} {context.Request.Host} {context.Request.Headers["x-gateway"]}");

    /// <summary>A gateway on port 80 with one rule that forwards <c>/</c> to <paramref name="service"/>:<paramref name="port"/>.</summary>
    public static string Forward(string service, int port) => $$$"""
        apiVersion: networking.higress.io/v1alpha1
        kind: Gateway
        metadata: {name: edge}
        spec:
          listeners: [{protocol: HTTP, port: 80}]
        ---
        apiVersion: networking.higress.io/v1alpha1
        kind: Route
        metadata: {name: all}
        spec:
          http:
          - match: [{uri: {prefix: /}}]
            route: [{destination: {host: {{{service}}}, port: {{{port}}}}}]
        """;
}

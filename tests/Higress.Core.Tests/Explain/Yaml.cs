namespace Higress.Core.Tests.Explain;

/// <summary>Small YAML builders for routing tests.</summary>
internal static class Yaml
{
    public static string Service(string name, int port = 80, string ns = "default", string address = "10.0.0.1", int targetPort = 8080) => $$"""
        apiVersion: v1
        kind: Service
        metadata: {name: {{name}}, namespace: {{ns}}}
        spec:
          ports: [{port: {{port}}}]
        ---
        apiVersion: discovery.k8s.io/v1
        kind: EndpointSlice
        metadata:
          name: {{name}}-slice
          namespace: {{ns}}
          labels: {kubernetes.io/service-name: {{name}}}
        addressType: IPv4
        endpoints: [{addresses: ["{{address}}"]}]
        ports: [{port: {{targetPort}}}]
        ---

        """;

    public static string Gateway(string name = "gw", int port = 80, string ns = "default", string? hostname = null, string from = "Same", string listener = "http") => $$"""
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: {{name}}, namespace: {{ns}}}
        spec:
          gatewayClassName: higress
          listeners:
          - name: {{listener}}
            port: {{port}}
            protocol: HTTP
            {{(hostname is null ? string.Empty : $"hostname: \"{hostname}\"")}}
            allowedRoutes:
              namespaces: {from: {{from}} }
        ---

        """;
}

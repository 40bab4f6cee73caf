using System.Globalization;
using Higress.EndToEnd.Tests.Infrastructure;
using Higress.Kubernetes.Tests.Fake;

namespace Higress.EndToEnd.Tests.Samples;

/// <summary>
/// The reference host as an operator starts it against a cluster: <c>--Higress:Kubernetes:Enabled=true</c> and a
/// kubeconfig file, here pointing at the fake API server. It serves what the server holds and follows its changes.
/// </summary>
public sealed class ReferenceHostKubernetesTests
{
    [Fact]
    public async Task The_reference_host_with_the_Kubernetes_source_serves_what_the_API_server_holds()
    {
        await using var api = await FakeKubeApiServer.StartAsync();
        await using var backend = await EchoBackend.StartAsync("default", "orders-v1");
        var port = FreePorts.Next();
        var portText = port.ToString(CultureInfo.InvariantCulture);
        api.Put("""
            {"apiVersion": "networking.higress.io/v1alpha1", "kind": "Gateway", "metadata": {"name": "gw", "namespace": "default"},
             "spec": {"listeners": [{"protocol": "HTTP", "port": PORT}]}}
            """.Replace("PORT", portText, StringComparison.Ordinal));
        api.Put("""{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "orders", "namespace": "default"}, "spec": {"ports": [{"name": "http", "port": 80}]}}""");
        api.Put("""
            {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
             "metadata": {"name": "orders-1", "namespace": "default", "labels": {"kubernetes.io/service-name": "orders"}},
             "addressType": "IPv4", "ports": [{"name": "http", "port": PORT}], "endpoints": [{"addresses": ["127.0.0.1"]}]}
            """.Replace("PORT", backend.Port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
        api.Put(Route("/orders"));
        var directory = Directory.CreateTempSubdirectory("higress-e2e-kube-").FullName;
        try
        {
            var kubeconfig = api.WriteKubeconfig(directory);
            await using var host = await ReferenceHostProcess.StartAsync(
                new Dictionary<string, string>(),
                extraArgs: ["--Higress:Kubernetes:Enabled=true", $"--Higress:Kubernetes:Kubeconfig={kubeconfig}", "--Higress:Kubernetes:InitialBackoff=50ms"]);

            var served = await host.Client.SendAsync(port, "example.com", "/orders/1");
            Assert.Equal(200, served.Code);
            Assert.Equal("orders-v1", served.Echo.Pod);

            api.Put(Route("/shop"));
            for (var attempt = 0; attempt < 500 && (await host.Client.SendAsync(port, "example.com", "/shop")).Code != 200; attempt++)
            {
                await Task.Delay(20);
            }

            Assert.Equal(200, (await host.Client.SendAsync(port, "example.com", "/shop")).Code);
            Assert.Equal(404, (await host.Client.SendAsync(port, "example.com", "/orders/1")).Code);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string Route(string prefix) => """
        {"apiVersion": "networking.higress.io/v1alpha1", "kind": "Route", "metadata": {"name": "orders", "namespace": "default"},
         "spec": {"http": [{"match": [{"uri": {"prefix": "PREFIX"}}], "route": [{"destination": {"host": "orders", "port": 80}}]}]}}
        """.Replace("PREFIX", prefix, StringComparison.Ordinal);
}

using System.Net;
using Higress.EndToEnd.Tests.Infrastructure;

namespace Higress.EndToEnd.Tests.Samples;

/// <summary>
/// <c>Higress:Profile=sidecar</c> on the reference host (a real process, as a pod runs it): the in-process settings are
/// applied and logged (event 2010), the missing runtime settings are named (event 2011: the host is built with Server
/// GC, and this test does not pass samples/Higress.Gateway/sidecar.env), traffic is forwarded as usual, and the
/// assemblies of features it does not use (KubernetesClient, Data Protection's XML key ring) are not loaded.
/// The sidecar overlay and the Helm chart set exactly the variables of sidecar.env.
/// </summary>
public sealed class SidecarProfileTests
{
    [Fact]
    public async Task SidecarProfile_IsApplied_NamesMissingRuntimeSettings_AndForwards()
    {
        await using var backend = await EchoBackend.StartAsync(ConformanceWorld.Infra, "infra-backend-v1");
        var port = FreePorts.Next();
        await using var host = await ReferenceHostProcess.StartAsync(
            new Dictionary<string, string>
            {
                ["services.yaml"] = ConformanceWorld.ServiceYaml(ConformanceWorld.Infra, "infra-backend-v1", backend.Port),
                ["gateway.yaml"] = ConformanceWorld.SingleListenerGatewayYaml(port),
                ["route.yaml"] = ConformanceWorld.CatchAllRouteYaml("infra-backend-v1"),
            },
            extraArgs: ["--Higress:Profile=sidecar"]);

        Assert.Equal(HttpStatusCode.OK, (await host.Client.SendAsync(port, "example.com", "/")).Status);
        Assert.Contains("Sidecar profile: GC heap limit 128 MB", host.Output, StringComparison.Ordinal);
        Assert.Contains("Server GC is on; set DOTNET_gcServer=0", host.Output, StringComparison.Ordinal);
        if (OperatingSystem.IsLinux())
        {
            // Features the process does not use keep their assemblies out of memory: no cluster watched, no
            // session-affinity key ring.
            var maps = await File.ReadAllTextAsync($"/proc/{host.ProcessId}/maps");
            Assert.Contains("Higress.Kubernetes.dll", maps, StringComparison.Ordinal);
            Assert.DoesNotContain("KubernetesClient.dll", maps, StringComparison.Ordinal);
            Assert.DoesNotContain("System.Private.Xml.dll", maps, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("deploy/overlays/sidecar/deployment.yaml")]
    [InlineData("deploy/helm/higress-net/templates/deployment.yaml")]
    public void Manifests_SetTheRuntimeSettingsOfSidecarEnv(string manifest)
    {
        var root = RepositoryRoot();
        var settings = File.ReadAllLines(Path.Combine(root, "samples/Higress.Gateway/sidecar.env"))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split('=', 2))
            .ToList();
        var text = File.ReadAllText(Path.Combine(root, manifest));

        Assert.NotEmpty(settings);
        Assert.All(settings, s => Assert.Contains($"{{name: {s[0]}, value: \"{s[1]}\"}}", text, StringComparison.Ordinal));
        Assert.Equal(settings.Count, text.Split("{name: DOTNET_").Length - 1);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Higress.Net.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("the repository root (Higress.Net.sln) is not above the test binaries");
    }
}

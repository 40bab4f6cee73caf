using System.Diagnostics;
using System.Text.Json.Nodes;
using Higress.Kubernetes.Tests.Infrastructure;

namespace Higress.Kubernetes.Tests.Deploy;

/// <summary>
/// <c>kubectl kustomize</c> renders both overlays, and what it renders is the deployment the docs describe. Runs where
/// kubectl is on the PATH (or named by HIGRESS_KUBECTL); CI installs it, so there a missing kubectl fails. The
/// overlays use only fields that kustomize v2.0.3 (Debian's kubectl 1.20) also reads.
/// </summary>
public class KustomizeTests
{
    private const string Namespace = "higress-system";

    [Fact]
    public void Edge_overlay_renders_a_probed_non_root_gateway_with_service_hpa_and_pdb()
    {
        var objects = Render("deploy/overlays/edge");
        if (objects is null)
        {
            return;
        }

        AssertBase(objects);
        var deployment = Single(objects, "Deployment", "higress-net");
        var gateway = Assert.Single(Containers(deployment));
        AssertHardenedGateway(deployment, gateway);
        Assert.Contains("--Higress:ConfigDir=/etc/higress/config", Strings(gateway["args"]));
        Assert.Contains("--Higress:Kubernetes:Enabled=true", Strings(gateway["args"]));
        Assert.Equal("higress-net", Single(objects, "HorizontalPodAutoscaler", "higress-net")["spec"]!["scaleTargetRef"]!["name"]!.GetValue<string>());
        var pdb = Single(objects, "PodDisruptionBudget", "higress-net");
        Assert.True(JsonNode.DeepEquals(deployment["spec"]!["selector"], pdb["spec"]!["selector"]), "the PodDisruptionBudget selects the gateway's pods");
        var service = Single(objects, "Service", "higress-net");
        Assert.True(JsonNode.DeepEquals(deployment["spec"]!["selector"]!["matchLabels"], service["spec"]!["selector"]), "the Service selects the gateway's pods");
        AssertConfigMapMounted(objects, deployment);
    }

    [Fact]
    public void Sidecar_overlay_renders_the_app_and_the_gateway_in_one_pod()
    {
        var objects = Render("deploy/overlays/sidecar");
        if (objects is null)
        {
            return;
        }

        AssertBase(objects);
        var deployment = Single(objects, "Deployment", "shop");
        var containers = Containers(deployment).ToList();
        Assert.Equal(["app", "higress-net"], containers.Select(c => c["name"]!.GetValue<string>()));
        var (app, sidecar) = (containers[0], containers[1]);
        AssertHardenedGateway(deployment, sidecar);
        var args = Strings(sidecar["args"]);
        Assert.Contains("--Higress:Sidecar:Inbound:Port=15006", args);
        Assert.Contains("--Higress:Sidecar:Inbound:App=http://127.0.0.1:8080", args);
        Assert.Contains("--Higress:Sidecar:Outbound:Port=15001", args);
        var env = app["env"]!.AsArray().ToDictionary(e => e!["name"]!.GetValue<string>(), e => e!["value"]!.GetValue<string>());
        Assert.Equal("http://127.0.0.1:8080", env["ASPNETCORE_URLS"]);
        Assert.Equal("http://127.0.0.1:15001", env["HTTP_PROXY"]);
        var service = Single(objects, "Service", "shop");
        Assert.Equal("inbound", service["spec"]!["ports"]![0]!["targetPort"]!.GetValue<string>());
        Assert.Contains(sidecar["ports"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "inbound" && p["containerPort"]!.GetValue<int>() == 15006);
        AssertConfigMapMounted(objects, deployment);
    }

    private static void AssertBase(IReadOnlyList<JsonObject> objects)
    {
        Assert.Equal(4, objects.Count(o => Kind(o) == "CustomResourceDefinition"));
        Assert.Equal(["ClusterRole", "ClusterRoleBinding", "Namespace", "Role", "RoleBinding", "ServiceAccount"],
            objects.Select(Kind).Where(k => k is "ClusterRole" or "ClusterRoleBinding" or "Namespace" or "Role" or "RoleBinding" or "ServiceAccount").Order(StringComparer.Ordinal));
        foreach (var obj in objects.Where(o => Kind(o) is not ("CustomResourceDefinition" or "Namespace" or "ClusterRole" or "ClusterRoleBinding")))
        {
            Assert.Equal(Namespace, obj["metadata"]!["namespace"]?.GetValue<string>());
        }

        Assert.Equal(Namespace, Single(objects, "ClusterRoleBinding", "higress-net")["subjects"]![0]!["namespace"]!.GetValue<string>());
    }

    private static void AssertHardenedGateway(JsonObject deployment, JsonObject container)
    {
        var pod = deployment["spec"]!["template"]!["spec"]!;
        Assert.Equal("higress-net", pod["serviceAccountName"]!.GetValue<string>());
        Assert.True(pod["securityContext"]!["runAsNonRoot"]!.GetValue<bool>());
        Assert.True(container["securityContext"]!["readOnlyRootFilesystem"]!.GetValue<bool>());
        Assert.False(container["securityContext"]!["allowPrivilegeEscalation"]!.GetValue<bool>());
        Assert.Equal("higress-net/gateway:0.1.0", container["image"]!.GetValue<string>());
        Assert.Contains("--Higress:Admin:BindAddress=0.0.0.0", Strings(container["args"]));
        Assert.Contains(container["ports"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "admin" && p["containerPort"]!.GetValue<int>() == 15021);
        Assert.Equal("/readyz", container["readinessProbe"]!["httpGet"]!["path"]!.GetValue<string>());
        Assert.Equal("/healthz", container["livenessProbe"]!["httpGet"]!["path"]!.GetValue<string>());
        foreach (var probe in (string[])["readinessProbe", "livenessProbe", "startupProbe"])
        {
            Assert.Equal("admin", container[probe]!["httpGet"]!["port"]!.GetValue<string>());
        }

        Assert.Contains(container["volumeMounts"]!.AsArray(), m => m!["mountPath"]!.GetValue<string>() == "/tmp");
    }

    private static void AssertConfigMapMounted(IReadOnlyList<JsonObject> objects, JsonObject deployment)
    {
        var volumes = deployment["spec"]!["template"]!["spec"]!["volumes"]!.AsArray();
        var name = volumes.Single(v => v!["name"]!.GetValue<string>() == "config")!["configMap"]!["name"]!.GetValue<string>();

        // configMapGenerator appends a content hash; kustomize must have rewritten the reference to it.
        var configMap = Single(objects, "ConfigMap", name);
        Assert.NotEmpty(configMap["data"]!.AsObject());
    }

    private static IReadOnlyList<JsonObject>? Render(string overlay)
    {
        var kubectl = Environment.GetEnvironmentVariable("HIGRESS_KUBECTL") ?? "kubectl";
        var start = new ProcessStartInfo(kubectl) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("kustomize");
        start.ArgumentList.Add(Repository.Path(overlay));
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception) when (Environment.GetEnvironmentVariable("CI") != "true")
        {
            // No kubectl on this machine; CI installs it (.ci/run), so there this test always runs.
            return null;
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            Assert.True(process.WaitForExit(TimeSpan.FromSeconds(120)), $"{kubectl} kustomize {overlay} did not finish in 120 s");
            Assert.True(process.ExitCode == 0, $"{kubectl} kustomize {overlay} failed ({process.ExitCode}): {stderr.Result}");
            return Repository.Documents(stdout.Result, $"kubectl kustomize {overlay}");
        }
    }

    private static JsonObject Single(IReadOnlyList<JsonObject> objects, string kind, string name) =>
        Assert.Single(objects, o => Kind(o) == kind && o["metadata"]!["name"]!.GetValue<string>() == name);

    private static IEnumerable<JsonObject> Containers(JsonObject deployment) =>
        deployment["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Select(c => c!.AsObject());

    private static string Kind(JsonObject obj) => obj["kind"]!.GetValue<string>();

    private static List<string> Strings(JsonNode? array) => [.. array!.AsArray().Select(a => a!.GetValue<string>())];
}

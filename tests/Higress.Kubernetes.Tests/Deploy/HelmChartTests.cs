using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Higress.Kubernetes.Tests.Infrastructure;

namespace Higress.Kubernetes.Tests.Deploy;

/// <summary>
/// No Helm binary runs here, so the chart is kept simple and checked without <c>helm template</c>: its files parse,
/// its templates use only values and helpers that exist, and it carries the same CRDs and RBAC rules as deploy/.
/// </summary>
public partial class HelmChartTests
{
    private static readonly string Chart = Repository.Path("deploy", "helm", "higress-net");

    [Fact]
    public void Chart_and_values_parse()
    {
        var chart = Assert.Single(Repository.Documents(File.ReadAllText(Path.Combine(Chart, "Chart.yaml")), "Chart.yaml"));
        Assert.Equal("v2", chart["apiVersion"]!.GetValue<string>());
        Assert.Equal("higress-net", chart["name"]!.GetValue<string>());
        Assert.NotNull(chart["version"]);

        var values = Values();
        Assert.Equal("edge", values["mode"]!.GetValue<string>());
    }

    [Fact]
    public void Templates_reference_only_values_and_helpers_that_exist()
    {
        var values = Values();
        var helpers = Define().Matches(File.ReadAllText(Path.Combine(Chart, "templates", "_helpers.tpl"))).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        var templates = Directory.GetFiles(Path.Combine(Chart, "templates"));
        Assert.NotEmpty(templates);
        foreach (var template in templates)
        {
            var text = File.ReadAllText(template);
            foreach (Match reference in ValueReference().Matches(text))
            {
                JsonNode? node = values;
                foreach (var step in reference.Groups[1].Value.Split('.'))
                {
                    node = node is JsonObject obj && obj.TryGetPropertyValue(step, out var child) ? child : null;
                }

                Assert.True(node is not null, $"{Path.GetFileName(template)}: .Values.{reference.Groups[1].Value} is not in values.yaml");
            }

            foreach (Match include in Include().Matches(text))
            {
                Assert.Contains(include.Groups[1].Value, helpers);
            }
        }
    }

    [Fact]
    public void Chart_grants_the_same_cluster_rules_as_the_kustomize_base()
    {
        var template = string.Join('\n', File.ReadAllLines(Path.Combine(Chart, "templates", "clusterrole.yaml")).Where(l => !l.Contains("{{", StringComparison.Ordinal)));
        var chart = Assert.Single(Repository.Documents(template, "templates/clusterrole.yaml"));
        var base_ = Assert.Single(Repository.Documents(File.ReadAllText(Repository.Path("deploy", "base", "clusterrole.yaml")), "clusterrole.yaml"));

        Assert.True(JsonNode.DeepEquals(base_["rules"], chart["rules"]), "templates/clusterrole.yaml and deploy/base/clusterrole.yaml grant different rules");
    }

    [Fact]
    public void Cluster_rules_read_and_patch_only_status()
    {
        var role = Assert.Single(Repository.Documents(File.ReadAllText(Repository.Path("deploy", "base", "clusterrole.yaml")), "clusterrole.yaml"));
        foreach (var rule in role["rules"]!.AsArray())
        {
            var resources = rule!["resources"]!.AsArray().Select(r => r!.GetValue<string>()).ToList();
            var verbs = rule["verbs"]!.AsArray().Select(v => v!.GetValue<string>()).ToList();
            if (resources.All(r => r.EndsWith("/status", StringComparison.Ordinal)))
            {
                Assert.Equal(["patch"], verbs);
            }
            else
            {
                Assert.DoesNotContain(resources, r => r.Contains('/', StringComparison.Ordinal) || r == "*");
                Assert.Equal(["get", "list", "watch"], verbs);
            }
        }

        var leases = Assert.Single(Repository.Documents(File.ReadAllText(Repository.Path("deploy", "base", "leader-election-role.yaml")), "leader-election-role.yaml"));
        Assert.Equal("Role", leases["kind"]!.GetValue<string>());
        Assert.Equal("""[{"apiGroups":["coordination.k8s.io"],"resources":["leases"],"verbs":["get","create","update"]}]""", leases["rules"]!.ToJsonString());
    }

    private static JsonObject Values() => Assert.Single(Repository.Documents(File.ReadAllText(Path.Combine(Chart, "values.yaml")), "values.yaml"));

    [GeneratedRegex(@"\.Values\.([A-Za-z0-9_.]+)")]
    private static partial Regex ValueReference();

    [GeneratedRegex(@"define ""([^""]+)""")]
    private static partial Regex Define();

    [GeneratedRegex(@"include ""([^""]+)""")]
    private static partial Regex Include();
}

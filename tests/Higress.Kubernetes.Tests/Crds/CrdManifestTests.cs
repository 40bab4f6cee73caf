using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Higress.Core.Resources;
using Higress.Core.Resources.Parsing;
using Higress.Kubernetes.Tests.Infrastructure;

namespace Higress.Kubernetes.Tests.Crds;

/// <summary>
/// The CRDs under deploy/crds (and their copy in the Helm chart) are generated from the C# model, so they agree with
/// it field by field. After a model change run
/// <c>HIGRESS_UPDATE_SCHEMA=1 dotnet test tests/Higress.Kubernetes.Tests -c Release --filter CrdManifestTests</c>.
/// </summary>
public class CrdManifestTests
{
    private static readonly string[] Folders = ["deploy/crds", "deploy/helm/higress-net/crds"];

    public static TheoryData<string> Kinds() => [.. CrdKind.All.Select(k => k.Kind)];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Committed_crds_are_the_ones_generated_from_the_model(string kindName)
    {
        var kind = CrdKind.All.Single(k => k.Kind == kindName);
        var generated = CrdGenerator.Yaml(kind);
        var update = Environment.GetEnvironmentVariable("HIGRESS_UPDATE_SCHEMA") == "1";
        foreach (var folder in Folders)
        {
            var path = Repository.Path(folder, kind.FileName);
            if (update)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path, generated);
            }

            Assert.True(
                File.Exists(path) && File.ReadAllText(path) == generated,
                $"{folder}/{kind.FileName} differs from the model; regenerate it with HIGRESS_UPDATE_SCHEMA=1 dotnet test tests/Higress.Kubernetes.Tests -c Release --filter CrdManifestTests");
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void The_yaml_reads_back_as_the_generated_crd(string kindName)
    {
        var kind = CrdKind.All.Single(k => k.Kind == kindName);

        var read = Assert.Single(Repository.Documents(CrdGenerator.Yaml(kind), kind.FileName));

        Assert.True(JsonNode.DeepEquals(CrdGenerator.Crd(kind), read), "YamlWriter does not round-trip " + kind.FileName);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_schema_is_structural(string kindName)
    {
        var kind = CrdKind.All.Single(k => k.Kind == kindName);

        Assert.Empty(StructuralSchema.StructuralErrors(CommittedCrds.Schema(kind)));
    }

    [Fact]
    public void Every_networking_higress_io_kind_of_the_parser_has_a_crd_of_the_same_group_kind_and_version()
    {
        var model = ResourceTypes.Entries.Where(e => e.Kind.Group == ResourceKinds.HigressNetworkingGroup)
            .Select(e => $"{e.Kind.Group}/{string.Join(',', e.Versions)}/{e.Kind.Kind}/{e.Type.Name}").Order(StringComparer.Ordinal);

        var crds = CommittedCrds.All.Select(crd => (Spec: crd["spec"]!, Kind: CrdKind.All.Single(k => k.Name == crd["metadata"]!["name"]!.GetValue<string>())))
            .Select(c => $"{c.Spec["group"]}/{c.Spec["versions"]![0]!["name"]}/{c.Spec["names"]!["kind"]}/{c.Kind.Model.Name}").Order(StringComparer.Ordinal);

        Assert.Equal(model, crds);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Crd_serves_and_stores_one_version_with_status_short_names_and_printer_columns(string kindName)
    {
        var spec = CommittedCrds.ByKind(kindName)["spec"]!;
        var version = Assert.Single(spec["versions"]!.AsArray())!;

        Assert.Equal("Namespaced", spec["scope"]!.GetValue<string>());
        Assert.True(version["served"]!.GetValue<bool>() && version["storage"]!.GetValue<bool>());
        Assert.NotNull(version["subresources"]?["status"]);
        Assert.NotEmpty(spec["names"]!["shortNames"]!.AsArray());
        Assert.Contains("higress", spec["names"]!["categories"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal("Age", version["additionalPrinterColumns"]!.AsArray().Last()!["name"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Printer_columns_read_fields_the_schema_has(string kindName)
    {
        var kind = CrdKind.All.Single(k => k.Kind == kindName);
        var schema = CommittedCrds.Schema(kind);

        foreach (var column in kind.Columns.Where(c => !c.JsonPath.StartsWith(".metadata.", StringComparison.Ordinal)))
        {
            JsonNode? node = schema;
            foreach (Match step in Regex.Matches(column.JsonPath, @"\.(?<field>[A-Za-z]+)(?<index>\[[^\]]*\])?"))
            {
                node = node?["properties"]?[step.Groups["field"].Value];
                if (step.Groups["index"].Success)
                {
                    node = node?["items"];
                }
            }

            Assert.True(node is not null, $"{kind.Kind} column {column.Name}: {column.JsonPath} names no field of the schema");
        }
    }

    [Fact]
    public void Free_form_nodes_are_the_models_free_form_fields()
    {
        // x-kubernetes-preserve-unknown-fields turns validation off below it: only plugin configs, the loosely typed
        // Istio fields, the fields the model ignores and ports written as {number: N} may have it.
        var allowed = new[] { "config", "tcpKeepalive", "localityLbSetting", "portLevelSettings[]", "port", "targetPort" };
        var found = new List<string>();
        foreach (var kind in CrdKind.All)
        {
            Collect(CommittedCrds.Schema(kind), kind.Kind, found);
        }

        Assert.All(found, path => Assert.Contains(path.Split('.')[^1], allowed));
        Assert.Contains("Extension.spec.config", found);
    }

    private static void Collect(JsonObject node, string path, List<string> found)
    {
        if (node["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true)
        {
            found.Add(path);
        }

        foreach (var (name, child) in node["properties"]?.AsObject() ?? [])
        {
            Collect(child!.AsObject(), path + "." + name, found);
        }

        if (node["items"] is JsonObject items)
        {
            Collect(items, path + "[]", found);
        }

        if (node["additionalProperties"] is JsonObject map)
        {
            Collect(map, path + ".*", found);
        }
    }
}

using System.Text.Json.Nodes;
using Higress.Core.Resources;
using Higress.Core.Resources.Parsing;
using Higress.Core.Translation;
using Higress.Kubernetes.Tests.Crds;
using Higress.Kubernetes.Tests.Infrastructure;

namespace Higress.Kubernetes.Tests.Deploy;

/// <summary>
/// Every networking.higress.io object the repository ships (under deploy/, in the Helm chart's values, under samples/)
/// is one the API server would accept: it validates against its CRD's openAPIV3Schema. The samples also load with the
/// gateway's own parser.
/// </summary>
public class CustomResourceTests
{
    [Fact]
    public void Every_custom_resource_under_deploy_and_samples_validates_against_its_crd()
    {
        var checkedFiles = new List<string>();
        var errors = new List<string>();
        foreach (var (where, yaml) in Manifests())
        {
            var resources = Repository.Documents(yaml, where).Where(d => Group(d) == CrdKind.Group).ToList();
            foreach (var resource in resources)
            {
                var kind = resource["kind"]!.GetValue<string>();
                var display = $"{where}: {kind} {resource["metadata"]?["name"]}";
                if (resource["apiVersion"]!.GetValue<string>() != $"{CrdKind.Group}/{CrdKind.Version}")
                {
                    errors.Add($"{display}: apiVersion {resource["apiVersion"]} is not served; use {CrdKind.Group}/{CrdKind.Version}");
                    continue;
                }

                errors.AddRange(StructuralSchema.Validate(resource, CommittedCrds.Schema(kind)).Select(e => $"{display}: {e}"));
            }

            if (resources.Count > 0)
            {
                checkedFiles.Add(where);
            }
        }

        Assert.Empty(errors);
        Assert.Contains("samples/Higress.Gateway/Demo/demo.yaml", checkedFiles);
        Assert.Contains("samples/Higress.Samples.Sidecar/config/sidecar.yaml", checkedFiles);
        Assert.Contains("deploy/overlays/edge/config/gateway.yaml", checkedFiles);
        Assert.Contains("deploy/overlays/sidecar/config/sidecar.yaml", checkedFiles);
        Assert.Contains("deploy/helm/higress-net/values.yaml: config.gateway.yaml", checkedFiles);
    }

    [Fact]
    public void Shipped_configuration_files_load_with_the_gateways_parser_without_errors()
    {
        var files = Manifests().Where(m => !m.Where.StartsWith("deploy/crds", StringComparison.Ordinal) && Repository.Documents(m.Yaml, m.Where).Any(d => Group(d) == CrdKind.Group)).ToList();

        Assert.NotEmpty(files);
        foreach (var (where, yaml) in files)
        {
            var result = ResourceParser.Parse(yaml, new ResourceOrigin("test", where, 0, ResourceOrigin.NextReadOrder()));
            Assert.False(result.HasErrors, $"{where}: {string.Join("; ", result.Diagnostics)}");
            Assert.NotEmpty(result.Resources);
        }
    }

    [Theory]
    [InlineData("deploy/overlays/edge/config")]
    [InlineData("deploy/overlays/sidecar/config")]
    public void Overlay_configuration_translates_without_errors(string folder)
    {
        var resources = new List<Resource>();
        foreach (var file in Repository.YamlFiles(folder))
        {
            var parsed = ResourceParser.Parse(File.ReadAllText(file), new ResourceOrigin("test", Repository.Relative(file), 0, ResourceOrigin.NextReadOrder()));
            Assert.False(parsed.HasErrors, string.Join("; ", parsed.Diagnostics));
            resources.AddRange(parsed.Resources);
        }

        var result = Translator.Translate(new ResourceSnapshot(resources));

        Assert.NotEmpty(resources);
        Assert.DoesNotContain(result.Diagnostics, d => d.IsError);
    }

    [Theory]
    [InlineData("Route", "{spec: {hosts: [a.example.com], http: [{route: [{destination: {host: orders, port: 8080}}]}]}}")]
    [InlineData("Route", "{spec: {http: [{route: [{destination: {host: orders, port: {number: 8080}}}], timeout: 2s, rateLimit: {requestsPerUnit: 5, unit: second}}]}}")]
    [InlineData("Extension", "{spec: {plugin: key-auth, config: {consumers: [{name: a, credential: k}], keys: [x-api-key]}, phase: AUTHN, priority: 310}}")]
    [InlineData("ServiceEntry", "{spec: {hosts: [api.example.com], ports: [{number: 443, name: https, protocol: TLS}], resolution: DNS}}")]
    [InlineData("Gateway", "{spec: {listeners: [{protocol: HTTP, port: 8080}]}, status: {conditions: [{type: Accepted, status: 'True', reason: Accepted, message: ok, lastTransitionTime: '2026-01-01T00:00:00Z'}]}}")]
    public void The_validator_accepts_valid_objects(string kind, string body) =>
        Assert.Empty(StructuralSchema.Validate(Object(kind, body), CommittedCrds.Schema(kind)));

    [Theory]
    [InlineData("Route", "{spec: {hostz: [a]}}", "spec.hostz: unknown field")]
    [InlineData("Route", "{spec: {hosts: a.example.com}}", "spec.hosts: must be of type array")]
    [InlineData("Route", "{spec: {http: [{route: [{destination: {port: 80}}]}]}}", "spec.http[0].route[0].destination.host: required")]
    [InlineData("Route", "{spec: {http: [{timeout: soon}]}}", "spec.http[0].timeout: 'soon' does not match")]
    [InlineData("Route", "{spec: {http: [{fault: {abort: {httpStatus: 700}}}]}}", "spec.http[0].fault.abort.httpStatus: 700 is above the maximum 599")]
    [InlineData("Extension", "{spec: {phase: LATE}}", "spec.phase: '\"LATE\"' is not one of")]
    [InlineData("Gateway", "{spec: {listeners: [{protocol: HTTP, port: 8080, name: null}]}}", "spec.listeners[0].name: null is not allowed")]
    [InlineData("ServiceEntry", "{metadata: {}, spec: {hosts: [a]}}", "metadata.name: required")]
    public void The_validator_reports_what_the_api_server_would(string kind, string body, string expected)
    {
        var errors = StructuralSchema.Validate(Object(kind, body), CommittedCrds.Schema(kind));

        Assert.Contains(errors, e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    private static JsonObject Object(string kind, string body)
    {
        var obj = Assert.Single(Repository.Documents(body, "test"));
        obj["apiVersion"] = $"{CrdKind.Group}/{CrdKind.Version}";
        obj["kind"] = kind;
        if (!obj.ContainsKey("metadata"))
        {
            obj["metadata"] = new JsonObject { ["name"] = "test" };
        }

        return obj;
    }

    private static string? Group(JsonObject document) => document["apiVersion"]?.GetValue<string>().Split('/')[0];

    /// <summary>Every YAML file under deploy/ and samples/, and the configuration files inlined in the chart's values.</summary>
    private static IEnumerable<(string Where, string Yaml)> Manifests()
    {
        foreach (var file in Repository.YamlFiles("deploy").Concat(Repository.YamlFiles("samples")))
        {
            yield return (Repository.Relative(file), File.ReadAllText(file));
        }

        var values = Assert.Single(Repository.Documents(File.ReadAllText(Repository.Path("deploy", "helm", "higress-net", "values.yaml")), "values.yaml"));
        foreach (var (name, text) in values["config"]!.AsObject())
        {
            yield return ($"deploy/helm/higress-net/values.yaml: config.{name}", text!.GetValue<string>());
        }
    }
}

using System.Text.Json.Nodes;
using Higress.Kubernetes.Watching;

namespace Higress.Kubernetes.Tests.Watching;

public sealed class WatchedObjectTests
{
    private static readonly WatchedKind Routes = WatchedKind.All.Single(k => k.Plural == "routes");

    [Fact]
    public void Metadata_the_plan_does_not_use_does_not_change_the_normalized_form()
    {
        var before = Parse("""{"metadata": {"name": "r", "namespace": "a", "resourceVersion": "1", "generation": 1}, "spec": {"hosts": ["x"]}}""");
        var after = Parse("""
            {"apiVersion": "networking.higress.io/v1alpha1", "kind": "Route",
             "metadata": {"name": "r", "namespace": "a", "resourceVersion": "2", "generation": 1, "managedFields": [{"manager": "kubectl"}],
                          "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{}"}},
             "spec": {"hosts": ["x"]}, "status": {"conditions": [{"type": "Accepted", "status": "True"}]}}
            """);

        Assert.Equal(before.Normalized, after.Normalized);
        Assert.Equal("a/r", after.Key);
        Assert.Equal("Route", Assert.Single(after.Resources).Kind);
    }

    [Fact]
    public void A_spec_or_label_change_changes_the_normalized_form()
    {
        var before = Parse("""{"metadata": {"name": "r", "namespace": "a"}, "spec": {"hosts": ["x"]}}""");
        var spec = Parse("""{"metadata": {"name": "r", "namespace": "a"}, "spec": {"hosts": ["y"]}}""");
        var labels = Parse("""{"metadata": {"name": "r", "namespace": "a", "labels": {"k": "v"}}, "spec": {"hosts": ["x"]}}""");

        Assert.NotEqual(before.Normalized, spec.Normalized);
        Assert.NotEqual(before.Normalized, labels.Normalized);
    }

    [Fact]
    public void A_semantically_wrong_object_yields_diagnostics_with_its_origin_not_an_exception()
    {
        var wrong = Parse("""{"metadata": {"name": "r", "namespace": "a"}, "spec": {"http": "not a list"}}""");

        Assert.Empty(wrong.Resources);
        Assert.Contains(wrong.Diagnostics, d => d.IsError);
    }

    private static WatchedObject Parse(string json) => WatchedObject.From((JsonObject)JsonNode.Parse(json)!, Routes);
}

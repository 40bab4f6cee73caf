using System.Text.Json.Nodes;
using Higress.Core.Resources;
using Higress.Core.Translation;
using Higress.Kubernetes.Status;
using Higress.Kubernetes.Watching;

namespace Higress.Kubernetes.Tests.Status;

/// <summary>The status documents in each kind's shape, built from plain objects.</summary>
public sealed class StatusDocumentTests
{
    private const string Controller = "higress.io/gateway-controller";
    private static readonly DateTimeOffset Now = new(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public void An_HTTPRoute_gets_our_parents_with_controllerName_keeps_other_controllers_and_unchanged_transition_times()
    {
        var watched = Watched("HTTPRoute", """
            {"metadata": {"name": "web", "namespace": "default", "generation": 4},
             "spec": {"parentRefs": [{"name": "gw"}, {"name": "theirs"}]},
             "status": {"parents": [
               {"parentRef": {"name": "theirs"}, "controllerName": "example.com/other", "conditions": []},
               {"parentRef": {"name": "gw"}, "controllerName": "higress.io/gateway-controller", "conditions": [
                 {"type": "Accepted", "status": "True", "observedGeneration": 3, "lastTransitionTime": "2020-01-01T00:00:00Z", "reason": "Accepted", "message": "old"}]}]}}
            """);
        var status = new ObjectStatus("HTTPRoute default/web", 4, Conditions(), new[]
        {
            new ParentStatus("Gateway default/gw", Conditions(("Accepted", true, "Accepted"), ("ResolvedRefs", false, "BackendNotFound"))),
        }.ToEquatableArray());

        var document = StatusDocument.Build(Kind("HTTPRoute"), watched, status, Controller, Now)!;

        var parents = document["parents"]!.AsArray().OfType<JsonObject>().ToList();
        Assert.Equal(2, parents.Count);
        Assert.Equal("example.com/other", (string?)parents[0]["controllerName"]);
        var ours = parents[1];
        Assert.Equal(Controller, (string?)ours["controllerName"]);
        Assert.Equal("gw", (string?)ours["parentRef"]!["name"]);
        var accepted = Condition(ours, "Accepted");
        Assert.Equal("2020-01-01T00:00:00Z", (string?)accepted["lastTransitionTime"]);
        Assert.Equal(4, (long)accepted["observedGeneration"]!);
        var resolved = Condition(ours, "ResolvedRefs");
        Assert.Equal("False", (string?)resolved["status"]);
        Assert.Equal("2030-01-02T03:04:05Z", (string?)resolved["lastTransitionTime"]);
        Assert.Equal("False", (string?)Condition(ours, "Programmed")["status"]);
    }

    [Fact]
    public void A_status_the_object_already_holds_compares_equal_whatever_the_key_order()
    {
        var watched = Watched("Route", """{"metadata": {"name": "r", "namespace": "default", "generation": 2}, "spec": {}}""", "networking.higress.io");
        var status = new ObjectStatus("Route default/r", 2, Conditions(("Accepted", true, "Accepted")), []);
        var document = StatusDocument.Build(Kind("Route", "networking.higress.io"), watched, status, Controller, Now)!;
        var reordered = new JsonObject(document.Reverse().Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));

        Assert.True(StatusDocument.Holds(reordered.ToJsonString(), document));
        Assert.False(StatusDocument.Holds(null, document));
        Assert.Equal(new[] { "Accepted", "ResolvedRefs", "Programmed" }, document["conditions"]!.AsArray().Select(c => (string?)c!["type"]));
    }

    [Fact]
    public void A_GatewayClass_is_accepted_only_when_it_names_our_controller()
    {
        var ours = Watched("GatewayClass", """{"metadata": {"name": "higress"}, "spec": {"controllerName": "higress.io/gateway-controller"}}""");
        var theirs = Watched("GatewayClass", """{"metadata": {"name": "other"}, "spec": {"controllerName": "example.com/other"}}""");

        Assert.Equal("True", (string?)Condition(StatusDocument.Build(Kind("GatewayClass"), ours, null, Controller, Now)!, "Accepted")["status"]);
        Assert.Null(StatusDocument.Build(Kind("GatewayClass"), theirs, null, Controller, Now));
    }

    private static WatchedKind Kind(string kind, string group = "gateway.networking.k8s.io") => WatchedKind.All.Single(k => k.Kind == kind && k.Group == group);

    private static WatchedObject Watched(string kind, string json, string group = "gateway.networking.k8s.io") =>
        WatchedObject.From((JsonObject)JsonNode.Parse(json)!, Kind(kind, group));

    private static EquatableArray<StatusCondition> Conditions(params (string Type, bool Status, string Reason)[] conditions) =>
        conditions.Select(c => new StatusCondition(c.Type, c.Status, c.Reason, c.Reason.ToLowerInvariant())).ToEquatableArray();

    private static JsonObject Condition(JsonObject holder, string type) =>
        holder["conditions"]!.AsArray().OfType<JsonObject>().Single(c => (string?)c["type"] == type);
}

using System.Text.Json.Nodes;
using Higress.Kubernetes.Tests.Crds;
using Higress.Kubernetes.Tests.Fake;

namespace Higress.Kubernetes.Tests.Status;

/// <summary>Status writing through a real gateway against the fake API server: what lands on the objects, and when nothing does.</summary>
public sealed class StatusWriterTests
{
    private const string Routes = "apis/networking.higress.io/v1alpha1/routes";
    private const string Gateways = "apis/networking.higress.io/v1alpha1/gateways";

    [Fact]
    public async Task Every_object_gets_its_conditions_with_observedGeneration_valid_under_its_CRD()
    {
        await using var api = await FakeKubeApiServer.StartAsync();
        await using var a = await NamedBackend.StartAsync(api, "a");
        api.Put(NamedBackend.Route("orders", "/orders", "a"));
        await using var gateway = await WatchedGateway.StartAsync(api);

        await WaitForConditionAsync(api, Routes, "default/orders", "Programmed", "True");
        var route = api.Store.Get(Routes, "default/orders")!;
        var status = (JsonObject)route["status"]!;
        Assert.Equal(1, (long)status["observedGeneration"]!);
        foreach (var type in new[] { "Accepted", "ResolvedRefs", "Programmed" })
        {
            var condition = Condition(status, type)!;
            Assert.Equal("True", (string?)condition["status"]);
            Assert.Equal(1, (long)condition["observedGeneration"]!);
            Assert.False(string.IsNullOrEmpty((string?)condition["reason"]));
        }

        await WaitForConditionAsync(api, Gateways, "default/gw", "Programmed", "True");
        var gw = api.Store.Get(Gateways, "default/gw")!;
        var listener = (JsonObject)gw["status"]!["listeners"]![0]!;
        Assert.Equal(1, (int)listener["attachedRoutes"]!);
        Assert.Equal("True", (string?)Condition(listener, "Programmed")!["status"]);

        // What was written is what the committed CRDs accept (the API server would reject anything else).
        Assert.Empty(StructuralSchema.Validate(route, CommittedCrds.Schema("Route")));
        Assert.Empty(StructuralSchema.Validate(gw, CommittedCrds.Schema("Gateway")));

        // A spec change is a new generation; the status follows it.
        api.Put(NamedBackend.Route("orders", "/shop", "a"));
        await WatchedGateway.WaitUntilAsync(() => Task.FromResult((long?)api.StatusOf(Routes, "default/orders")?["observedGeneration"] == 2), "observedGeneration 2");
    }

    [Fact]
    public async Task Nothing_changed_means_no_patch_and_the_gateways_own_writes_make_no_plan()
    {
        await using var api = await FakeKubeApiServer.StartAsync();
        await using var a = await NamedBackend.StartAsync(api, "a");
        api.Put(NamedBackend.Route("orders", "/orders", "a"));
        await using var gateway = await WatchedGateway.StartAsync(api);
        await WaitForConditionAsync(api, Routes, "default/orders", "Programmed", "True");
        await SettledAsync(api, gateway);
        var patches = api.StatusPatches.Count;
        var transition = (string?)Condition(api.StatusOf(Routes, "default/orders"), "Accepted")!["lastTransitionTime"];

        // A new plan that changes no object's status: an unrelated Service. The writer looks and writes nothing.
        var rounds = gateway.Writer!.Rounds;
        var generation = gateway.Loop.Generation;
        api.Put("""{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "unused", "namespace": "default"}, "spec": {"ports": [{"port": 80}]}}""");
        await WatchedGateway.WaitUntilAsync(() => Task.FromResult(gateway.Loop.Generation > generation && gateway.Writer.Rounds > rounds), "the writer has compared after the new plan");
        await SettledAsync(api, gateway);
        Assert.Equal(patches, api.StatusPatches.Count);

        // A spec change: exactly one new plan and one status patch for the Route; the patch's echo makes no plan.
        var changes = gateway.Source.Changes;
        generation = gateway.Loop.Generation;
        api.Put(NamedBackend.Route("orders", "/shop", "a"));
        await WatchedGateway.WaitUntilAsync(() => Task.FromResult((long?)api.StatusOf(Routes, "default/orders")?["observedGeneration"] == 2), "observedGeneration 2");
        await SettledAsync(api, gateway);
        Assert.Equal(changes + 1, gateway.Source.Changes);
        Assert.Equal(generation + 1, gateway.Loop.Generation);
        Assert.Equal(1, api.StatusPatches.Skip(patches).Count(p => p.Path.EndsWith("routes/default/orders", StringComparison.Ordinal)));

        // Accepted stayed True: its transition time is the old one, not the time of the new write.
        Assert.Equal(transition, (string?)Condition(api.StatusOf(Routes, "default/orders"), "Accepted")!["lastTransitionTime"]);
    }

    [Fact]
    public async Task A_malformed_Route_gets_Accepted_False_with_the_reason_and_fix_while_another_Route_serves()
    {
        await using var api = await FakeKubeApiServer.StartAsync();
        await using var a = await NamedBackend.StartAsync(api, "a");
        api.Put(NamedBackend.Route("good", "/good", "a"));
        api.Put("""
            {"apiVersion": "networking.higress.io/v1alpha1", "kind": "Route", "metadata": {"name": "bad", "namespace": "default"},
             "spec": {"gateways": ["gw"], "http": [{"match": [{"uri": {"regex": "/orders/("}}], "route": [{"destination": {"host": "a", "port": 80}}]}]}}
            """);
        await using var gateway = await WatchedGateway.StartAsync(api);

        await WaitForConditionAsync(api, Routes, "default/bad", "Accepted", "False");
        var accepted = Condition(api.StatusOf(Routes, "default/bad"), "Accepted")!;
        Assert.Equal("Invalid", (string?)accepted["reason"]);
        Assert.Contains("spec.http[0].match[0].uri.regex", (string?)accepted["message"], StringComparison.Ordinal);
        Assert.Equal("False", (string?)Condition(api.StatusOf(Routes, "default/bad"), "Programmed")!["status"]);
        Assert.Equal("a", await gateway.GetAsync("/good"));
        await WaitForConditionAsync(api, Routes, "default/good", "Accepted", "True");
    }

    [Fact]
    public async Task With_WriteStatus_off_nothing_is_written_and_no_Lease_is_taken()
    {
        await using var api = await FakeKubeApiServer.StartAsync();
        await using var a = await NamedBackend.StartAsync(api, "a");
        api.Put(NamedBackend.Route("orders", "/orders", "a"));
        await using var gateway = await WatchedGateway.StartAsync(api, o => o.WriteStatus = false);

        await WatchedGateway.WaitUntilAsync(async () => await gateway.GetAsync("/orders") == "a", "the Route routes");
        Assert.Null(gateway.Writer);
        Assert.Empty(api.StatusPatches);
        Assert.Null(api.Lease("default", "higress-net-status"));
    }

    [Fact]
    public async Task A_failed_patch_is_retried_and_the_status_arrives()
    {
        await using var api = await FakeKubeApiServer.StartAsync();
        await using var a = await NamedBackend.StartAsync(api, "a");
        api.Put(NamedBackend.Route("orders", "/orders", "a"));
        api.FailStatusPatches = true;
        await using var gateway = await WatchedGateway.StartAsync(api);

        await WatchedGateway.WaitUntilAsync(() => Task.FromResult(gateway.Writer!.Failed > 0), "a status patch has failed");
        Assert.Null(api.StatusOf(Routes, "default/orders"));
        api.FailStatusPatches = false;

        await WaitForConditionAsync(api, Routes, "default/orders", "Programmed", "True");
        Assert.Equal("a", await gateway.GetAsync("/orders"));
    }

    internal static JsonObject? Condition(JsonNode? status, string type) =>
        (status?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == type);

    internal static Task WaitForConditionAsync(FakeKubeApiServer api, string resource, string key, string type, string value) =>
        WatchedGateway.WaitUntilAsync(() => Task.FromResult((string?)Condition(api.StatusOf(resource, key), type)?["status"] == value), $"{key} has {type}={value}");

    /// <summary>Waits until the watches have seen every write (the echoes of the writer's patches included) and the writer has nothing left to write.</summary>
    internal static async Task SettledAsync(FakeKubeApiServer api, WatchedGateway gateway)
    {
        var watched = gateway.Source.Watchers.Where(w => w.Kind.Plural is "routes" or "gateways" && w.Kind.Group == "networking.higress.io").ToList();
        api.Store.Bookmark();
        var version = api.Store.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await WatchedGateway.WaitUntilAsync(() => Task.FromResult(watched.TrueForAll(w => w.ResourceVersion == version)), "the watches have seen every write");
        await WatchedGateway.WaitUntilAsync(() => Task.FromResult(gateway.Writer!.IsSettled), "the writer has nothing left to write");
    }
}

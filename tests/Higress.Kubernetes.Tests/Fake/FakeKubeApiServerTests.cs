using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Higress.Kubernetes.Tests.Fake;

/// <summary>The fake API server's writes behave as the real server's do, since the status writer and leader election are tested against them.</summary>
public sealed class FakeKubeApiServerTests
{
    [Theory]
    [InlineData("application/merge-patch+json", """{"status": {"conditions": [{"type": "Accepted", "status": "True"}]}, "spec": {"hosts": ["evil"]}}""")]
    [InlineData("application/json-patch+json", """[{"op": "add", "path": "/status/conditions", "value": [{"type": "Accepted", "status": "True"}]}]""")]
    public async Task A_status_patch_changes_only_status_bumps_resourceVersion_and_emits_MODIFIED(string contentType, string patch)
    {
        await using var api = await FakeKubeApiServer.StartAsync();
        var before = api.Put(NamedBackend.Route("orders", "/orders", "a"));
        using var client = Client(api);
        var watch = api.Store.Watch("apis/networking.higress.io/v1alpha1/routes", null, _ => true, api.Store.Version)!;

        using var content = new StringContent(patch, Encoding.UTF8);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        using var response = await client.PatchAsync("apis/networking.higress.io/v1alpha1/namespaces/default/routes/orders/status", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var after = api.Store.Get("apis/networking.higress.io/v1alpha1/routes", "default/orders")!;
        Assert.Equal("Accepted", (string?)after["status"]!["conditions"]![0]!["type"]);
        Assert.True(JsonNode.DeepEquals(before["spec"], after["spec"]));
        Assert.Equal((long)before["metadata"]!["generation"]!, (long)after["metadata"]!["generation"]!);
        Assert.NotEqual((string?)before["metadata"]!["resourceVersion"], (string?)after["metadata"]!["resourceVersion"]);
        Assert.True(watch.Events.Reader.TryRead(out var line));
        Assert.Equal("MODIFIED", (string?)JsonNode.Parse(line)!["type"]);
        Assert.Single(api.StatusPatches);
    }

    [Fact]
    public async Task The_fake_Lease_API_answers_409_to_a_stale_update_and_to_a_second_create()
    {
        await using var api = await FakeKubeApiServer.StartAsync();
        using var client = Client(api);
        const string Path = "apis/coordination.k8s.io/v1/namespaces/ops/leases";
        var lease = new JsonObject { ["metadata"] = new JsonObject { ["name"] = "l" }, ["spec"] = new JsonObject { ["holderIdentity"] = "a" } };

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"{Path}/l")).StatusCode);
        using var created = await client.PostAsJsonAsync(Path, lease);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsJsonAsync(Path, lease)).StatusCode);

        var stored = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        stored["spec"]!["holderIdentity"] = "b";
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync($"{Path}/l", stored)).StatusCode);
        stored["spec"]!["holderIdentity"] = "c";
        Assert.Equal(HttpStatusCode.Conflict, (await client.PutAsJsonAsync($"{Path}/l", stored)).StatusCode);
        Assert.Equal("b", (string?)api.Lease("ops", "l")!["spec"]!["holderIdentity"]);
    }

    private static HttpClient Client(FakeKubeApiServer api)
    {
        var client = new HttpClient { BaseAddress = api.Address };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", FakeKubeApiServer.Token);
        return client;
    }
}

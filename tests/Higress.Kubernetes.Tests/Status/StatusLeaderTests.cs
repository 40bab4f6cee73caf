using Higress.Kubernetes.Status;
using Higress.Kubernetes.Tests.Fake;

namespace Higress.Kubernetes.Tests.Status;

/// <summary>Leader election between two gateways on one fake API server: one status writer at a time, and a takeover when it stops.</summary>
public sealed class StatusLeaderTests
{
    private const string Routes = "apis/networking.higress.io/v1alpha1/routes";

    [Fact]
    public async Task Of_two_replicas_only_the_leader_writes_status_and_the_other_takes_over_when_it_stops()
    {
        await using var api = await FakeKubeApiServer.StartAsync();
        await using var a = await NamedBackend.StartAsync(api, "a");
        api.Put(NamedBackend.Route("orders", "/orders", "a"));
        var first = await WatchedGateway.StartAsync(api);
        var second = await WatchedGateway.StartAsync(api, putGateway: false);
        WatchedGateway? stopped = null;
        try
        {
            await WatchedGateway.WaitUntilAsync(() => Task.FromResult(first.Writer!.Leader.IsLeader || second.Writer!.Leader.IsLeader), "one replica leads");
            await StatusWriterTests.WaitForConditionAsync(api, Routes, "default/orders", "Programmed", "True");
            var (leader, follower) = first.Writer!.Leader.IsLeader ? (first, second) : (second, first);
            Assert.False(follower.Writer!.Leader.IsLeader);
            Assert.Equal(leader.Writer!.Leader.Identity, (string?)api.Lease("default", "higress-net-status")!["spec"]!["holderIdentity"]);

            // A change while both run: written, and only ever by the leader.
            api.Put(NamedBackend.Route("orders", "/shop", "a"));
            await WatchedGateway.WaitUntilAsync(() => Task.FromResult((long?)api.StatusOf(Routes, "default/orders")?["observedGeneration"] == 2), "observedGeneration 2");
            Assert.Equal([$"higress-net/{leader.Writer.Leader.Identity}"], api.StatusPatches.Select(p => p.UserAgent).Distinct());
            Assert.Equal(0, follower.Writer.Written);

            // Every replica keeps its configuration current, leading or not. On one machine only the first replica holds
            // the listener's port (the second's Port was never put in the cluster), so traffic is checked there.
            await WatchedGateway.WaitUntilAsync(async () => await first.GetAsync("/shop") == "a", "the replica holding the port routes the change");
            await WatchedGateway.WaitUntilAsync(() => Task.FromResult(follower.Source.Current.Resources.Any(r => r.Name == "orders")), "the follower has the Route");

            var writtenBefore = api.StatusPatches.Count;
            await leader.DisposeAsync();
            stopped = leader;
            await WatchedGateway.WaitUntilAsync(() => Task.FromResult(follower.Writer.Leader.IsLeader), "the other replica takes over", seconds: 20);
            Assert.Equal(follower.Writer.Leader.Identity, (string?)api.Lease("default", "higress-net-status")!["spec"]!["holderIdentity"]);

            api.Put(NamedBackend.Route("orders", "/again", "a"));
            await WatchedGateway.WaitUntilAsync(() => Task.FromResult((long?)api.StatusOf(Routes, "default/orders")?["observedGeneration"] == 3), "observedGeneration 3");
            Assert.Equal([$"higress-net/{follower.Writer.Leader.Identity}"], api.StatusPatches.Skip(writtenBefore).Select(p => p.UserAgent).Distinct());
        }
        finally
        {
            foreach (var replica in new[] { first, second }.Where(r => r != stopped))
            {
                await replica.DisposeAsync();
            }
        }
    }

    [Fact]
    public void The_Lease_namespace_is_the_setting_else_the_pods_else_default()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "higress-system\n");
            Assert.Equal("ops", StatusLeader.LeaseNamespace(new KubernetesOptions { LeaseNamespace = "ops" }, file));
            Assert.Equal("higress-system", StatusLeader.LeaseNamespace(new KubernetesOptions(), file));
            Assert.Equal("default", StatusLeader.LeaseNamespace(new KubernetesOptions(), file + ".missing"));
        }
        finally
        {
            File.Delete(file);
        }
    }
}

using Higress.Kubernetes.Tests.Fake;

namespace Higress.Kubernetes.Tests.Watching;

/// <summary>The watch source against the fake API server, through a real gateway: what the cluster holds is what routes.</summary>
public sealed class KubernetesResourceSourceTests
{
    [Fact]
    public async Task Readyz_answers_503_until_every_watch_has_listed_and_the_plan_is_applied_then_200()
    {
        await using var api = await FakeKubeApiServer.StartAsync();
        await using var backend = await NamedBackend.StartAsync(api, "orders");
        api.Put(NamedBackend.Route("orders", "/orders", "orders"));
        api.HoldLists();
        await using var gateway = await WatchedGateway.StartAsync(api);

        using (var before = await gateway.Admin.GetAsync("/readyz"))
        {
            Assert.Equal(503, (int)before.StatusCode);
            Assert.Contains("kubernetes", await before.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        api.ReleaseLists();
        await WatchedGateway.WaitUntilAsync(async () => (int)(await gateway.Admin.GetAsync("/readyz")).StatusCode == 200, "/readyz answers 200");

        // Ready means served: the listener from the cluster's Gateway is open and the Route routes.
        Assert.Equal("orders", await gateway.GetAsync("/orders"));
    }

    [Fact]
    public async Task Creating_changing_and_deleting_a_Route_reaches_routing_while_a_steady_load_sees_no_failure()
    {
        await using var api = await FakeKubeApiServer.StartAsync();
        await using var a = await NamedBackend.StartAsync(api, "a");
        await using var b = await NamedBackend.StartAsync(api, "b");
        api.Put(NamedBackend.Route("steady", "/steady", "a"));
        await using var gateway = await WatchedGateway.StartAsync(api);
        await WatchedGateway.WaitUntilAsync(async () => await gateway.GetAsync("/steady") == "a", "/steady routes");

        using var stop = new CancellationTokenSource();
        var failures = new List<string>();
        var load = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            var sent = 0;
            while (!stop.IsCancellationRequested && sent++ < 100_000)
            {
                var body = await gateway.GetAsync("/steady");
                if (body != "a")
                {
                    lock (failures)
                    {
                        failures.Add(body);
                    }
                }
            }

            return sent;
        })).ToList();

        api.Put(NamedBackend.Route("x", "/x", "a"));
        await WatchedGateway.WaitUntilAsync(async () => await gateway.GetAsync("/x") == "a", "the created Route routes to a");
        api.Put(NamedBackend.Route("x", "/x", "b"));
        await WatchedGateway.WaitUntilAsync(async () => await gateway.GetAsync("/x") == "b", "the changed Route routes to b");
        Assert.True(api.Delete("networking.higress.io/v1alpha1", "Route", "default/x"));
        await WatchedGateway.WaitUntilAsync(async () => await gateway.GetAsync("/x") == "404", "the deleted Route no longer routes");

        await stop.CancelAsync();
        var sent = (await Task.WhenAll(load)).Sum();
        Assert.True(sent > 2, $"the load ran ({sent} requests)");
        Assert.Empty(failures);
    }

    [Fact]
    public async Task A_watch_stream_cut_20_times_in_a_row_ends_in_the_right_final_state()
    {
        await using var api = await FakeKubeApiServer.StartAsync();
        await using var a = await NamedBackend.StartAsync(api, "a");
        await using var b = await NamedBackend.StartAsync(api, "b");
        await using var gateway = await WatchedGateway.StartAsync(api);
        var watchers = gateway.Source.Watchers.Count(w => api.Store.IsServed(w.Kind.Path(null)));
        await WatchedGateway.WaitUntilAsync(() => Task.FromResult(gateway.Source.HasSynced), "the source has synced");

        for (var i = 0; i < 20; i++)
        {
            // Changes land while the streams are up, while they are down, and in between.
            api.Put(NamedBackend.Route("cut", "/cut", i % 2 == 0 ? "a" : "b"));
            if (i == 5)
            {
                api.Put(NamedBackend.Route("gone", "/gone", "a"));
            }

            if (i == 15)
            {
                api.Delete("networking.higress.io/v1alpha1", "Route", "default/gone");
            }

            await WatchedGateway.WaitUntilAsync(() => Task.FromResult(api.Store.OpenWatches >= watchers), $"every watch is open again (cut {i})");
            api.Store.CutAll();
            api.Put(NamedBackend.Route($"r{i}", $"/r{i}", i % 2 == 0 ? "b" : "a"));
        }

        api.Put(NamedBackend.Route("cut", "/cut", "b"));
        await WatchedGateway.WaitUntilAsync(async () => await gateway.GetAsync("/cut") == "b", "the last change of /cut routes");
        await WatchedGateway.WaitUntilAsync(async () => await gateway.GetAsync("/r19") == "a", "the last Route created routes");
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(i % 2 == 0 ? "b" : "a", await gateway.GetAsync($"/r{i}"));
        }

        Assert.Equal("404", await gateway.GetAsync("/gone"));
    }

    [Fact]
    public async Task A_410_Gone_on_the_watch_makes_the_source_list_again_and_catch_up()
    {
        await using var api = await FakeKubeApiServer.StartAsync();
        await using var a = await NamedBackend.StartAsync(api, "a");
        await using var gateway = await WatchedGateway.StartAsync(api);
        await WatchedGateway.WaitUntilAsync(() => Task.FromResult(gateway.Source.HasSynced), "the source has synced");
        var routes = gateway.Source.Watchers.Single(w => w.Kind.Plural == "routes");
        var listsBefore = routes.Lists;

        // The streams drop, a Route is written, and the history the watches would resume from is compacted away:
        // resuming gets an ERROR event with 410.
        var watchers = gateway.Source.Watchers.Count(w => api.Store.IsServed(w.Kind.Path(null)));
        await WatchedGateway.WaitUntilAsync(() => Task.FromResult(api.Store.OpenWatches >= watchers), "every watch is open");
        api.HoldWatches();
        api.Store.CutAll();
        api.Put(NamedBackend.Route("late", "/late", "a"));
        api.Store.Compact();
        api.ReleaseWatches();

        await WatchedGateway.WaitUntilAsync(async () => await gateway.GetAsync("/late") == "a", "the Route written around the compaction routes");
        Assert.True(routes.Lists > listsBefore, "the routes were listed again after 410 Gone");
    }

    [Fact]
    public async Task A_status_only_or_resourceVersion_only_change_produces_no_new_plan()
    {
        await using var api = await FakeKubeApiServer.StartAsync();
        await using var a = await NamedBackend.StartAsync(api, "a");
        api.Put(NamedBackend.Route("orders", "/orders", "a"));
        await using var gateway = await WatchedGateway.StartAsync(api);
        await WatchedGateway.WaitUntilAsync(async () => await gateway.GetAsync("/orders") == "a", "the Route routes");
        var routes = gateway.Source.Watchers.Single(w => w.Kind.Plural == "routes");
        var changes = gateway.Source.Changes;
        var generation = gateway.Loop.Generation;

        // What the gateway's own status writes and kubectl's bookkeeping look like: status, managedFields, a new resourceVersion.
        var written = api.Put(NamedBackend.Route("orders", "/orders", "a", """, "status": {"conditions": [{"type": "Accepted", "status": "True"}]}"""));
        var statusVersion = long.Parse((string)written["metadata"]!["resourceVersion"]!, System.Globalization.CultureInfo.InvariantCulture);
        api.Put(NamedBackend.Route("orders", "/orders", "a", """, "status": {"conditions": [{"type": "Accepted", "status": "False"}]}"""));
        api.Store.Bookmark();
        await WatchedGateway.WaitUntilAsync(() => Task.FromResult(long.Parse(routes.ResourceVersion ?? "0", System.Globalization.CultureInfo.InvariantCulture) > statusVersion), "the watch has seen the status writes");

        Assert.Equal(changes, gateway.Source.Changes);
        Assert.Equal(generation, gateway.Loop.Generation);

        // A spec change is a new plan.
        api.Put(NamedBackend.Route("orders", "/shop", "a"));
        await WatchedGateway.WaitUntilAsync(async () => await gateway.GetAsync("/shop") == "a", "the spec change routes");
        Assert.True(gateway.Loop.Generation > generation);
    }

    [Fact]
    public async Task A_burst_of_events_becomes_one_plan()
    {
        await using var api = await FakeKubeApiServer.StartAsync();
        await using var a = await NamedBackend.StartAsync(api, "a");
        await using var gateway = await WatchedGateway.StartAsync(api);
        await WatchedGateway.WaitUntilAsync(async () => (int)(await gateway.Admin.GetAsync("/readyz")).StatusCode == 200, "ready");
        var generation = gateway.Loop.Generation;

        api.PutMany(Enumerable.Range(0, 200).Select(i => NamedBackend.Route($"burst-{i}", $"/burst-{i}", "a")));

        await WatchedGateway.WaitUntilAsync(async () => await gateway.GetAsync("/burst-199") == "a", "the last Route of the burst routes");
        Assert.Equal("a", await gateway.GetAsync("/burst-0"));
        Assert.InRange(gateway.Loop.Generation - generation, 1, 5);
    }

    [Fact]
    public async Task A_kind_whose_CRD_is_missing_counts_as_empty_and_is_picked_up_once_installed()
    {
        await using var api = await FakeKubeApiServer.StartAsync();
        await using var a = await NamedBackend.StartAsync(api, "a");
        const string routes = "apis/networking.higress.io/v1alpha1/routes";
        api.Store.Unserve(routes);
        await using var gateway = await WatchedGateway.StartAsync(api, o => o.MissingKindRecheck = TimeSpan.FromMilliseconds(100));
        await WatchedGateway.WaitUntilAsync(async () => (int)(await gateway.Admin.GetAsync("/readyz")).StatusCode == 200, "ready without the Route CRD");

        api.Store.Serve(routes);
        api.Put(NamedBackend.Route("late", "/late", "a"));

        await WatchedGateway.WaitUntilAsync(async () => await gateway.GetAsync("/late") == "a", "the Route of the CRD installed later routes");
    }

    [Fact]
    public async Task With_Namespaces_set_objects_in_other_namespaces_are_not_read()
    {
        await using var api = await FakeKubeApiServer.StartAsync();
        await using var a = await NamedBackend.StartAsync(api, "a");
        api.Put(NamedBackend.Route("mine", "/mine", "a"));
        api.Put(NamedBackend.Route("theirs", "/theirs", "a.default").Replace("\"namespace\": \"default\"", "\"namespace\": \"other\"", StringComparison.Ordinal));
        await using var gateway = await WatchedGateway.StartAsync(api, o => o.Namespaces = ["default"]);

        await WatchedGateway.WaitUntilAsync(async () => await gateway.GetAsync("/mine") == "a", "the Route in the watched namespace routes");
        Assert.Equal("404", await gateway.GetAsync("/theirs"));
        Assert.DoesNotContain(gateway.Source.Current.Resources, r => r.Namespace == "other");
    }
}

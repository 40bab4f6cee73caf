using Higress.Core.Resources;
using Higress.Hosting.Sources;

namespace Higress.Hosting.Tests.Sources;

public class ResourceSnapshotProviderTests
{
    [Fact]
    public async Task Publishes_first_snapshot_then_debounced_changes()
    {
        using var code = new CodeResourceSource(h => h.AddService("a", 80));
        using var dir = new TempDirectory();
        dir.Write("a.yaml", "apiVersion: v1\nkind: Service\nmetadata: {name: a}\n");
        using var files = new DirectoryResourceSource(dir.Path, debounce: TimeSpan.FromMilliseconds(20));
        var published = new List<ResourceSnapshot>();
        using var provider = new ResourceSnapshotProvider([code, files], s => { lock (published) { published.Add(s); } }, TimeSpan.FromMilliseconds(50));

        provider.Start();

        var first = Assert.Single(published);
        Assert.Equal(1, first.Generation);
        Assert.Equal("code", first.Get<Service>("default", "a")!.Origin.SourceName);
        Assert.Single(first.Diagnostics); // the directory's copy is a duplicate

        code.Update(h => h.AddService("b", 80));
        code.Update(h => h.AddService("c", 80));

        await Wait.UntilAsync(() => { lock (published) { return published.Count == 2; } });
        await Task.Delay(200);
        lock (published)
        {
            Assert.Equal(2, published.Count);
            var second = published[1];
            Assert.Equal(2, second.Generation);
            Assert.NotNull(second.Get<Service>("default", "c"));
            Assert.Equal("directory", second.Get<Service>("default", "a")!.Origin.SourceName);
            Assert.Null(second.Get<Service>("default", "b"));
            Assert.DoesNotContain(first.OfType<Service>(), s => s.Name == "c");
        }
    }

    [Fact]
    public void A_failing_subscriber_does_not_stop_publishing()
    {
        using var code = new CodeResourceSource(h => h.AddService("a", 80));
        var calls = 0;
        using var provider = new ResourceSnapshotProvider([code], _ =>
        {
            calls++;
            throw new InvalidOperationException("boom");
        });

        provider.Start();
        code.Update(h => h.AddService("b", 80));
        provider.PublishNow();

        Assert.Equal(2, calls);
        Assert.NotNull(provider.Current.Get<Service>("default", "b"));
    }
}

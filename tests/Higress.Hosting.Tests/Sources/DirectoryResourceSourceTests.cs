using Higress.Core.Resources;
using Higress.Hosting.Sources;

namespace Higress.Hosting.Tests.Sources;

public class DirectoryResourceSourceTests
{
    private const string ServiceA = """
        apiVersion: v1
        kind: Service
        metadata: {name: a}
        spec: {ports: [{port: 80}]}
        """;

    private const string RouteR = """
        apiVersion: networking.higress.io/v1alpha1
        kind: Route
        metadata: {name: r}
        spec:
          http: [{route: [{destination: {host: a, port: 80}}]}]
        """;

    [Fact]
    public void Reads_yaml_and_json_recursively_in_path_order()
    {
        using var dir = new TempDirectory();
        dir.Write("b/route.yml", RouteR);
        dir.Write("a.yaml", ServiceA);
        dir.Write("c.json", """{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}}""");
        dir.Write("notes.txt", "not config");
        dir.Write(".hidden/x.yaml", ServiceA.Replace("name: a", "name: hidden", StringComparison.Ordinal));

        using var source = new DirectoryResourceSource(dir.Path);

        Assert.Empty(source.Current.Diagnostics);
        Assert.Equal(["a.yaml", "b/route.yml", "c.json"], source.Current.Resources.Select(r => r.Origin.FilePath));
        Assert.True(source.Current.Resources[0].Origin.ReadOrder < source.Current.Resources[1].Origin.ReadOrder);
        Assert.Equal("directory", source.Current.Resources[0].Origin.SourceName);
    }

    [Fact]
    public void A_broken_file_does_not_stop_the_good_one()
    {
        using var dir = new TempDirectory();
        dir.Write("good.yaml", ServiceA);
        dir.Write("bad.yaml", "apiVersion: v1\nkind: Service\nmetadata: {name: [x\n");

        using var source = new DirectoryResourceSource(dir.Path);

        var service = Assert.IsType<Service>(Assert.Single(source.Current.Resources));
        Assert.Equal("a", service.Name);
        var error = Assert.Single(source.Current.Diagnostics);
        Assert.Equal("bad.yaml#1", error.Object);
        Assert.True(error.IsError);
    }

    [Fact]
    public async Task Reloads_when_a_file_changes()
    {
        using var dir = new TempDirectory();
        dir.Write("a.yaml", ServiceA);
        using var source = new DirectoryResourceSource(dir.Path, debounce: TimeSpan.FromMilliseconds(50), pollInterval: TimeSpan.FromMilliseconds(200));
        var fired = 0;
        using var registration = source.GetChangeToken().RegisterChangeCallback(_ => Interlocked.Increment(ref fired), null);

        dir.Write("route.yaml", RouteR);

        await Wait.UntilAsync(() => source.Current.Resources.Count == 2);
        await Wait.UntilAsync(() => Volatile.Read(ref fired) == 1);

        File.WriteAllText(Path.Combine(dir.Path, "a.yaml"), ServiceA.Replace("port: 80", "port: 81", StringComparison.Ordinal));
        await Wait.UntilAsync(() => source.Current.Resources.OfType<Service>().Single().Spec.Ports[0].Port == 81);

        File.Delete(Path.Combine(dir.Path, "route.yaml"));
        await Wait.UntilAsync(() => source.Current.Resources.Count == 1);
    }

    [Fact]
    public async Task A_missing_directory_is_picked_up_when_created()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "later");
        using var source = new DirectoryResourceSource(path, debounce: TimeSpan.FromMilliseconds(20), pollInterval: TimeSpan.FromMilliseconds(100));

        Assert.Empty(source.Current.Resources);
        Assert.Single(source.Current.Diagnostics);

        dir.Write("later/a.yaml", ServiceA);

        await Wait.UntilAsync(() => source.Current.Resources.Count == 1);
        Assert.Empty(source.Current.Diagnostics);
    }

    [Fact]
    public void Unchanged_content_does_not_fire()
    {
        using var dir = new TempDirectory();
        dir.Write("a.yaml", ServiceA);
        using var source = new DirectoryResourceSource(dir.Path, pollInterval: TimeSpan.FromHours(1));
        var token = source.GetChangeToken();

        File.WriteAllText(Path.Combine(dir.Path, "a.yaml"), ServiceA);
        source.Reload();

        Assert.False(token.HasChanged);
    }
}

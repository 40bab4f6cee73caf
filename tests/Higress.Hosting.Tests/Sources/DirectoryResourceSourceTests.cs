using System.Runtime.Versioning;
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

    [Fact]
    public async Task A_file_rewritten_in_place_never_loses_its_objects()
    {
        using var dir = new TempDirectory();
        dir.Write("a.yaml", ServiceA);
        var path = dir.Write("route.yaml", RouteR);
        using var source = new DirectoryResourceSource(dir.Path, debounce: TimeSpan.FromMilliseconds(5), pollInterval: TimeSpan.FromMilliseconds(20));
        var lost = 0;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(3));

        var writer = Task.Run(async () =>
        {
            for (var i = 0; i < 300 && !stop.IsCancellationRequested; i++)
            {
                // Truncate, then write in two parts, as an editor or a script writing in place does.
                await using (var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite))
                {
                    await stream.FlushAsync();
                    await Task.Delay(2);
                    var bytes = System.Text.Encoding.UTF8.GetBytes(RouteR);
                    await stream.WriteAsync(bytes.AsMemory(0, bytes.Length / 2));
                    await stream.FlushAsync();
                    await Task.Delay(2);
                    await stream.WriteAsync(bytes.AsMemory(bytes.Length / 2));
                }

                await Task.Delay(10);
            }
        });
        while (!writer.IsCompleted)
        {
            source.Reload();
            if (!source.Current.Resources.OfType<Route>().Any())
            {
                lost++;
            }

            await Task.Delay(1);
        }

        await writer;
        Assert.Equal(0, lost);
        Assert.DoesNotContain(source.Current.Diagnostics, d => d.IsError);
    }

    [Fact]
    public async Task A_file_that_stays_empty_counts_as_deleted()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("route.yaml", RouteR);
        using var source = new DirectoryResourceSource(dir.Path, debounce: TimeSpan.FromMilliseconds(20), pollInterval: TimeSpan.FromMilliseconds(100));

        File.WriteAllText(path, string.Empty);
        source.Reload();
        Assert.Single(source.Current.Resources);

        await Wait.UntilAsync(() => source.Current.Resources.Count == 0);
    }

    [Fact]
    public void An_unreadable_folder_is_reported_and_its_last_good_objects_keep_serving()
    {
        // Tests run as root in CI, and root can list any folder whatever its mode: the failure is injected at the
        // seam that lists one directory, which is where the OS would refuse.
        using var dir = new TempDirectory();
        dir.Write("a.yaml", ServiceA);
        dir.Write("locked/route.yaml", RouteR);
        var locked = false;
        IEnumerable<FileSystemInfo> List(string path) =>
            locked && path.EndsWith("locked", StringComparison.Ordinal)
                ? throw new UnauthorizedAccessException($"Access to the path '{path}' is denied.")
                : new DirectoryInfo(path).EnumerateFileSystemInfos();
        using var source = new DirectoryResourceSource(dir.Path, pollInterval: TimeSpan.FromHours(1), listDirectory: List);
        Assert.Equal(2, source.Current.Resources.Count);

        locked = true;
        source.Reload();

        Assert.Equal(["a.yaml", "locked/route.yaml"], source.Current.Resources.Select(r => r.Origin.FilePath));
        var error = Assert.Single(source.Current.Diagnostics);
        Assert.True(error.IsError);
        Assert.Equal("locked/", error.Object);
        Assert.Contains("cannot read the folder", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public void A_real_unreadable_folder_is_reported_when_not_root()
    {
        using var dir = new TempDirectory();
        dir.Write("locked/route.yaml", RouteR);
        var locked = Path.Combine(dir.Path, "locked");
        File.SetUnixFileMode(locked, UnixFileMode.None);
        try
        {
            using var source = new DirectoryResourceSource(dir.Path, pollInterval: TimeSpan.FromHours(1));
            var readable = source.Current.Resources.Count == 1;

            // Root reads the folder anyway (then nothing is reported); anyone else gets one error naming it.
            Assert.True(readable ? source.Current.Diagnostics.IsEmpty : Assert.Single(source.Current.Diagnostics).Object == "locked/");
        }
        finally
        {
            File.SetUnixFileMode(locked, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [Fact]
    public void A_symlink_loop_is_reported_once_and_each_real_folder_is_read_once()
    {
        using var dir = new TempDirectory();
        dir.Write("a/route.yaml", RouteR);
        Directory.CreateSymbolicLink(Path.Combine(dir.Path, "a", "loop"), Path.Combine(dir.Path, "a"));
        Directory.CreateSymbolicLink(Path.Combine(dir.Path, "a", "up"), "..");

        using var source = new DirectoryResourceSource(dir.Path, pollInterval: TimeSpan.FromHours(1));

        Assert.Equal(["a/route.yaml"], source.Current.Resources.Select(r => r.Origin.FilePath));
        Assert.Equal(["a/loop/", "a/up/"], source.Current.Diagnostics.Select(d => d.Object));
        Assert.All(source.Current.Diagnostics, d => Assert.Contains("a folder already read", d.Message, StringComparison.Ordinal));
        Assert.All(source.Current.Diagnostics, d => Assert.False(d.IsError));
    }

    [Fact]
    public void A_symlinked_folder_outside_the_root_is_read()
    {
        using var dir = new TempDirectory();
        using var elsewhere = new TempDirectory();
        elsewhere.Write("shared/route.yaml", RouteR);
        Directory.CreateSymbolicLink(Path.Combine(dir.Path, "linked"), Path.Combine(elsewhere.Path, "shared"));

        using var source = new DirectoryResourceSource(dir.Path, pollInterval: TimeSpan.FromHours(1));

        Assert.Equal(["linked/route.yaml"], source.Current.Resources.Select(r => r.Origin.FilePath));
        Assert.Empty(source.Current.Diagnostics);
    }
}

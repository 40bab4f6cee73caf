using Higress.Core.Resources;
using Higress.Core.Resources.Parsing;
using Higress.Core.Resources.Sources;

namespace Higress.Core.Tests.Resources.Sources;

public sealed class LastGoodRetentionTests
{
    private const string Good = """
        apiVersion: v1
        kind: Service
        metadata: {name: a}
        spec: {ports: [{port: 80}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: b}
        spec: {ports: [{port: 80}]}
        """;

    private static ResourceSnapshot Read(params (string File, string Text)[] files)
    {
        var resources = new List<Resource>();
        var diagnostics = new List<ConfigDiagnostic>();
        foreach (var (file, text) in files)
        {
            var result = ResourceParser.Parse(text, new ResourceOrigin("directory", file, 0, 0));
            resources.AddRange(result.Resources);
            diagnostics.AddRange(result.Diagnostics);
        }

        return new ResourceSnapshot(resources, diagnostics);
    }

    [Fact]
    public void A_file_that_turns_to_garbage_keeps_its_last_good_objects()
    {
        var before = Read(("services.yaml", Good), ("other.yaml", "apiVersion: v1\nkind: Service\nmetadata: {name: c}\nspec: {ports: [{port: 80}]}"));
        var after = Read(("services.yaml", "kind: [this is not: yaml"), ("other.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: n}"));

        var result = LastGoodRetention.Apply(before, after);

        Assert.NotNull(result.Get<Service>("default", "a"));
        Assert.NotNull(result.Get<Service>("default", "b"));
        Assert.Null(result.Get<Service>("default", "c"));
        Assert.Contains(result.Diagnostics, d => !d.IsError && d.Object == "Service default/a" && d.Message.Contains("last good", StringComparison.Ordinal));
    }

    [Fact]
    public void An_invalid_edit_keeps_the_previous_version_of_that_object()
    {
        var before = Read(("services.yaml", Good));
        var after = Read(("services.yaml", Good.Replace("port: 80}]}\n---", "port: 99999}]}\n---", StringComparison.Ordinal)));

        var result = LastGoodRetention.Apply(before, after);

        Assert.Equal(80, result.Get<Service>("default", "a")!.Spec.Ports[0].Port);
        Assert.Contains(result.Diagnostics, d => d.IsError);
    }

    [Fact]
    public void Objects_removed_from_a_clean_file_are_removed()
    {
        var before = Read(("services.yaml", Good));
        var after = Read(("services.yaml", Good[..Good.IndexOf("---", StringComparison.Ordinal)]));

        var result = LastGoodRetention.Apply(before, after);

        Assert.Null(result.Get<Service>("default", "b"));
    }
}

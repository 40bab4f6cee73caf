using System.Text.RegularExpressions;

namespace Higress.Hosting.Tests.Docs;

/// <summary>A page of docs/ as the doc tests read it: its YAML blocks, and the world its examples assume.</summary>
internal static partial class DocPage
{
    /// <summary>The Service <c>orders</c> (port 80) the pages' Routes forward to: around the examples, not part of them.</summary>
    public const string OrdersService = """
        apiVersion: v1
        kind: Service
        metadata: {name: orders}
        spec:
          ports: [{port: 80}]
        """;

    /// <summary>The text of <c>docs/<paramref name="name"/></c>.</summary>
    public static string Read(string name) => File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", name));

    /// <summary>The contents of the <c>```yaml</c> blocks of <paramref name="text"/>, in order.</summary>
    public static List<string> YamlBlocks(string text) => [.. YamlBlock().Matches(text).Select(m => m.Groups[1].Value)];

    [GeneratedRegex(@"```yaml\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex YamlBlock();
}

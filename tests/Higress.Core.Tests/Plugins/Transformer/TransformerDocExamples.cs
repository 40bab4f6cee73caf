using System.Text.RegularExpressions;

namespace Higress.Core.Tests.Plugins.Transformer;

/// <summary>The example configs of docs/plugins/transformer.md (each after an <c>&lt;!-- example: name --&gt;</c> line), so that the doc's examples are the ones tested.</summary>
internal static class TransformerDocExamples
{
    private static readonly Lazy<string> Doc = new(() => File.ReadAllText(Find()));

    public static string Get(string name)
    {
        var match = Regex.Match(Doc.Value, $"<!-- example: {Regex.Escape(name)} -->\\s*```yaml\\n(.*?)```", RegexOptions.Singleline, TimeSpan.FromSeconds(1));
        Assert.True(match.Success, $"docs/plugins/transformer.md has no example '{name}'");
        return match.Groups[1].Value;
    }

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "docs", "plugins", "transformer.md");
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new FileNotFoundException("docs/plugins/transformer.md not found above " + AppContext.BaseDirectory);
    }
}

using System.Text.RegularExpressions;
using Higress.Core.Plugins;
using Higress.Core.Resources;
using Higress.Core.Resources.Parsing;
using Higress.Core.Translation;

namespace Higress.Core.Tests.Plugins;

/// <summary>The examples of the plugin pages in docs/plugins/ (Higress's own configs) load unchanged, without errors.</summary>
public partial class PluginDocsExampleTests
{
    [Theory]
    [InlineData("ip-restriction.md", 2)]
    [InlineData("request-block.md", 3)]
    public void The_examples_of_a_plugin_page_load_without_diagnostics(string page, int objects)
    {
        var text = File.ReadAllText(FindPage(page));
        var yaml = string.Join("\n---\n", YamlBlock().Matches(text).Select(m => m.Groups[1].Value));

        var parsed = ResourceParser.Parse(yaml, new ResourceOrigin(page, null, 0, 0));
        Assert.False(parsed.HasErrors, string.Join("\n", parsed.Diagnostics));
        Assert.Equal(objects, parsed.Resources.Count);

        var result = Translator.Translate(new ResourceSnapshot(parsed.Resources), catalog: PluginCatalog.BuiltIn);
        Assert.Empty(result.Diagnostics);
    }

    private static string FindPage(string page)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "docs", "plugins", page);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"docs/plugins/{page} not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"```yaml\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex YamlBlock();
}

using System.Text.RegularExpressions;
using Higress.Core.Plugins;
using Higress.Core.Resources;
using Higress.Core.Resources.Parsing;
using Higress.Core.Translation;

namespace Higress.Core.Tests.Plugins.JwtAuth;

/// <summary>The examples of docs/plugins/jwt-auth.md load unchanged, with no error and no warning.</summary>
public sealed partial class JwtAuthDocTests
{
    [Fact]
    public void Every_yaml_example_of_the_jwt_auth_page_loads_without_problems()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Higress.Net.sln")))
        {
            root = root.Parent;
        }

        Assert.NotNull(root);
        var page = File.ReadAllText(Path.Combine(root.FullName, "docs", "plugins", "jwt-auth.md"));
        var examples = YamlBlock().Matches(page).Select(m => m.Groups["yaml"].Value).ToList();
        Assert.Equal(2, examples.Count);

        foreach (var yaml in examples)
        {
            var parsed = ResourceParser.Parse(yaml, new ResourceOrigin("jwt-auth.md", null, 0, 0));
            Assert.False(parsed.HasErrors, string.Join("\n", parsed.Diagnostics));
            var result = Translator.Translate(new ResourceSnapshot(parsed.Resources), catalog: PluginCatalog.BuiltIn);
            Assert.Empty(result.Diagnostics);
        }
    }

    [GeneratedRegex("```yaml\\n(?<yaml>.*?)```", RegexOptions.Singleline)]
    private static partial Regex YamlBlock();
}

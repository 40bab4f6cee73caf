using Higress.Core.Resources;
using Higress.Core.Resources.Parsing;
using Higress.Core.Translation;

namespace Higress.Hosting.Tests.Docs;

/// <summary>docs/migration.md: the Route that replaces its Ingress example loads and translates cleanly.</summary>
public sealed class MigrationDocTests
{
    [Fact]
    public void The_route_the_ingress_example_becomes_translates_without_diagnostics_and_keeps_its_settings()
    {
        var page = DocPage.Read("migration.md");
        var blocks = DocPage.YamlBlocks(page);
        Assert.Equal(2, blocks.Count);
        Assert.Contains("kind: Ingress", blocks[0], StringComparison.Ordinal);

        var parsed = ResourceParser.Parse(blocks[1] + "\n---\n" + DocPage.OrdersService, new ResourceOrigin("migration.md", null, 0, 0));
        Assert.False(parsed.HasErrors, string.Join("\n", parsed.Diagnostics));
        var result = Translator.Translate(new ResourceSnapshot(parsed.Resources));
        Assert.True(result.Diagnostics.IsEmpty, string.Join("\n", result.Diagnostics));

        var rule = Assert.Single(result.Plan.Routes);
        Assert.Equal(TimeSpan.FromSeconds(5), rule.Timeout);
        Assert.Equal(2, rule.Retry?.Attempts);
        Assert.Equal("/", rule.Rewrite?.Path?.Value);
    }
}

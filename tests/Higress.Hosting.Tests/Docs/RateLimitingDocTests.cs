using Higress.Core.Diagnostics;
using Higress.Core.Plugins;
using Higress.Core.Resources;
using Higress.Core.Resources.Parsing;
using Higress.Core.Translation;
using Higress.Hosting.Plugins.KeyRateLimit;
using Higress.Hosting.Runtime;

namespace Higress.Hosting.Tests.Docs;

/// <summary>The YAML examples of docs/rate-limiting.md's local limiters load unchanged, without errors or warnings.</summary>
public sealed class RateLimitingDocTests
{
    [Fact]
    public void The_local_limiter_examples_load_and_translate_without_diagnostics()
    {
        var page = DocPage.Read("rate-limiting.md");
        var local = page[..page.IndexOf("## cluster-key-rate-limit", StringComparison.Ordinal)];
        var blocks = DocPage.YamlBlocks(local);
        var yaml = string.Join("\n---\n", [.. blocks, DocPage.OrdersService]);

        var parsed = ResourceParser.Parse(yaml, new ResourceOrigin("rate-limiting.md", null, 0, 0));
        Assert.False(parsed.HasErrors, string.Join("\n", parsed.Diagnostics));
        Assert.Equal(4, parsed.Resources.Count);

        var catalog = new PluginCatalog([new KeyRateLimitPlugin(new HigressMetrics(new HigressMeter()), TimeProvider.System)]);
        var result = Translator.Translate(new ResourceSnapshot(parsed.Resources), catalog: catalog);
        Assert.True(result.Diagnostics.IsEmpty, string.Join("\n", result.Diagnostics));
        var rule = Assert.Single(result.Plan.Routes);
        Assert.NotNull(rule.RateLimit);
        Assert.Equal(["key-rate-limit", "key-rate-limit"], rule.Plugins.Select(p => p.Name));
    }
}

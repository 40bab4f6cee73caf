using Higress.Core.Resources;
using Higress.Core.Resources.Parsing;

namespace Higress.Core.Tests.Resources.Parsing;

/// <summary>Aliases are bounded as go-yaml (and so the Kubernetes API server) bounds them, before anything is copied.</summary>
public class AliasLimitTests
{
    // Nine levels of nine aliases: 9^9 (387 million) strings once expanded, from under 500 bytes.
    private static readonly string BillionLaughs = """
        apiVersion: v1
        kind: PodTemplate
        metadata: {name: lol}
        data:
          a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
          b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
          c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
          d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
          e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
          f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
          g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
          h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
          i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
        """;

    [Fact]
    public void The_billion_laughs_document_is_refused_with_a_bounded_memory_increase()
    {
        var before = GC.GetAllocatedBytesForCurrentThread();

        var result = ResourceParser.Parse(BillionLaughs, new ResourceOrigin("test", "bomb.yaml", 0, 0));

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.InRange(allocated, 0, 50L * 1024 * 1024);
        Assert.Empty(result.Resources);
        var error = Assert.Single(result.Diagnostics);
        Assert.True(error.IsError);
        Assert.Equal("bomb.yaml#1", error.Object);
        Assert.Matches(@"^bomb\.yaml#1: not valid YAML at line \d+, column \d+: aliases expand this document to over \d+ nodes", error.ToString());
        Assert.Contains("use fewer aliases", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_bomb_in_one_document_does_not_take_the_others_down()
    {
        var text = "apiVersion: v1\nkind: Service\nmetadata: {name: before}\n---\n" + BillionLaughs + "\n---\napiVersion: v1\nkind: Service\nmetadata: {name: after}\n";

        var result = ResourceParser.Parse(text, new ResourceOrigin("test", "bomb.yaml", 0, 0));

        Assert.Equal(["before", "after"], result.Resources.Select(r => r.Name));
        Assert.Equal("bomb.yaml#2", Assert.Single(result.Diagnostics).Object);
    }

    [Fact]
    public void A_document_using_a_few_aliases_parses()
    {
        var result = ResourceParser.Parse("""
            apiVersion: networking.higress.io/v1alpha1
            kind: Route
            metadata: {name: orders, labels: &labels {team: shop, tier: web}, annotations: *labels}
            spec:
              hosts: [&host shop.example.com]
              http:
              - match: [{uri: {prefix: /orders}}]
                route: &backend [{destination: {host: orders, port: 8080}}]
              - match: [{uri: {prefix: /carts}, headers: {x-host: {exact: *host}}}]
                route: *backend
            """, new ResourceOrigin("test", "route.yaml", 0, 0));

        Assert.Empty(result.Diagnostics);
        var route = Assert.IsType<Route>(Assert.Single(result.Resources));
        Assert.Equal("shop", route.Metadata.Annotations["team"]);
        Assert.Equal("shop.example.com", route.Spec.Http[1].Match[0].Headers["x-host"].Exact);
        Assert.Equal(route.Spec.Http[0].Route, route.Spec.Http[1].Route);
    }

    [Fact]
    public void Heavy_but_bounded_reuse_is_allowed()
    {
        // A 50-node anchor used 40 times: 2,000 copied nodes, 96% of the document, under go-yaml's 99%.
        var anchor = "{" + string.Join(", ", Enumerable.Range(0, 25).Select(i => $"k{i}: v")) + "}";
        var uses = string.Concat(Enumerable.Range(0, 40).Select(i => $"    c{i}: *big\n"));
        var text = $"apiVersion: v1\nkind: PodTemplate\nmetadata: {{name: heavy}}\ndata:\n  big: &big {anchor}\n  copies:\n{uses}";

        var result = ResourceParser.Parse(text, new ResourceOrigin("test", "heavy.yaml", 0, 0));

        Assert.DoesNotContain(result.Diagnostics, d => d.IsError);
    }

    [Theory]
    [InlineData(1_000, 0.99)]
    [InlineData(400_000, 0.99)]
    [InlineData(2_200_000, 0.545)]
    [InlineData(4_000_000, 0.10)]
    [InlineData(40_000_000, 0.10)]
    public void The_allowed_alias_share_falls_from_99_to_10_percent_as_a_document_grows(long nodes, double ratio) =>
        Assert.Equal(ratio, ParseLimits.AllowedAliasRatio(nodes), 3);
}

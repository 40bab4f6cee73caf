using System.Globalization;
using System.Net;
using System.Text;
using Higress.Core.Resources;
using Higress.Core.Resources.Sources;
using Higress.Hosting.Sources;
using Higress.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Higress.Hosting.Tests.Sources;

/// <summary>Higress:Limits: over a limit, a file or object is refused with an error and the last good one serves.</summary>
public sealed class ConfigurationLimitsTests
{
    private static string Service(string name) => $"apiVersion: v1\nkind: Service\nmetadata: {{name: {name}}}\nspec: {{ports: [{{port: 80}}]}}\n";

    private static string Route(string name) =>
        $"apiVersion: networking.higress.io/v1alpha1\nkind: Route\nmetadata: {{name: {name}}}\nspec:\n  http: [{{match: [{{uri: {{prefix: /{name}}}}}], route: [{{destination: {{host: a, port: 8080}}}}]}}]\n";

    private static string RouteWithRules(int rules)
    {
        var text = new StringBuilder("apiVersion: networking.higress.io/v1alpha1\nkind: Route\nmetadata: {name: big}\nspec:\n  http:\n");
        for (var i = 0; i < rules; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"  - match: [{{uri: {{prefix: /r{i}}}}}]\n    route: [{{destination: {{host: a, port: 80}}}}]\n");
        }

        return text.ToString();
    }

    [Fact]
    public void A_file_over_MaxFileBytes_is_refused_unread_and_its_last_good_objects_keep_serving()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("services.yaml", Service("a"));
        var limits = new HigressLimitsOptions { MaxFileBytes = 4096 };
        using var source = new DirectoryResourceSource(dir.Path, pollInterval: TimeSpan.FromHours(1), limits: limits, settle: TimeSpan.Zero);
        var before = SnapshotBuilder.Build([source]);
        Assert.Single(before.Resources);

        // Garbage past the limit: had it been read, a YAML error would be reported too.
        File.WriteAllText(path, Service("b") + new string('{', 5000));
        source.Reload();

        var error = Assert.Single(source.Current.Diagnostics);
        Assert.True(error.IsError);
        Assert.Equal("services.yaml", error.Object);
        Assert.Contains("5,", error.Message, StringComparison.Ordinal);
        Assert.Contains("over the limit of 4,096 bytes", error.Message, StringComparison.Ordinal);
        Assert.Contains("Higress:Limits:MaxFileBytes", error.Fix, StringComparison.Ordinal);
        var after = LastGoodRetention.Apply(before, SnapshotBuilder.Build([source], before));
        Assert.Equal("a", Assert.Single(after.Resources).Name);
    }

    [Fact]
    public void A_file_with_more_documents_than_MaxDocumentsPerFile_loads_none_of_them()
    {
        using var dir = new TempDirectory();
        dir.Write("many.yaml", string.Join("---\n", Enumerable.Range(0, 4).Select(i => Service("s" + i.ToString(CultureInfo.InvariantCulture)))));
        dir.Write("few.yaml", Service("few"));

        using var source = new DirectoryResourceSource(dir.Path, pollInterval: TimeSpan.FromHours(1), limits: new HigressLimitsOptions { MaxDocumentsPerFile = 3 });

        Assert.Equal("few", Assert.Single(source.Current.Resources).Name);
        var error = Assert.Single(source.Current.Diagnostics);
        Assert.Equal("many.yaml", error.SourceFile);
        Assert.Contains("holds 4 objects, over the limit of 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("Higress:Limits:MaxDocumentsPerFile", error.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void A_route_with_more_rules_than_MaxRulesPerRoute_is_dropped_with_an_error_naming_the_field()
    {
        using var dir = new TempDirectory();
        dir.Write("big.yaml", RouteWithRules(11) + "---\n" + Service("a"));

        using var source = new DirectoryResourceSource(dir.Path, pollInterval: TimeSpan.FromHours(1), limits: new HigressLimitsOptions { MaxRulesPerRoute = 10 });

        Assert.IsType<Service>(Assert.Single(source.Current.Resources));
        var error = Assert.Single(source.Current.Diagnostics);
        Assert.Equal("Route default/big: spec.http: 11 rules, over the limit of 10 per route; the object was not loaded; split the rules over several routes, or raise Higress:Limits:MaxRulesPerRoute", error.ToString());
        Assert.Equal("big.yaml#1", error.SourceFile);
    }

    [Fact]
    public void The_defaults_fit_a_large_real_configuration()
    {
        var limits = new HigressLimitsOptions();

        Assert.Equal(8L * 1024 * 1024, limits.MaxFileBytes);
        Assert.Null(ConfigurationLimits.CheckFileSize("f", 1_572_864 * 5, limits));
        var parsed = Parse(RouteWithRules(16));
        Assert.Same(parsed, ConfigurationLimits.CheckParsed("f", parsed, limits));
        Assert.Null(ConfigurationLimits.CheckTotal(50_000, limits));
        Assert.NotNull(ConfigurationLimits.CheckTotal(50_001, limits));
    }

    [Fact]
    public async Task Over_MaxObjects_the_last_good_configuration_keeps_serving_and_the_error_is_reported()
    {
        await using var host = await HigressTestHost.StartAsync(h => h
            .Services(s => s.Configure<HigressOptions>(o => o.Limits.MaxObjects = 5))
            .AddYaml("apiVersion: networking.higress.io/v1alpha1\nkind: Gateway\nmetadata: {name: edge}\nspec:\n  listeners: [{protocol: HTTP, port: 80}]\n")
            .AddYaml(Route("one"))
            .AddBackend("a", 8080, c => c.Response.WriteAsync("a")));
        using var client = host.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("http://x/one"))).StatusCode);

        await host.UpdateAsync(r =>
        {
            r.AddYaml("apiVersion: networking.higress.io/v1alpha1\nkind: Gateway\nmetadata: {name: edge}\nspec:\n  listeners: [{protocol: HTTP, port: 80}]\n");
            for (var i = 0; i < 6; i++)
            {
                r.AddYaml(Route("many-" + i.ToString(CultureInfo.InvariantCulture)));
            }
        });

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("http://x/one"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri("http://x/many-0"))).StatusCode);
        var error = Assert.Single(host.Translation.Diagnostics, d => d.Object == "configuration");
        Assert.Contains("over the limit of 5", error.Message, StringComparison.Ordinal);
        Assert.Contains("Higress:Limits:MaxObjects", error.Fix, StringComparison.Ordinal);
    }

    private static Core.Resources.Parsing.ParseResult Parse(string yaml) =>
        Core.Resources.Parsing.ResourceParser.Parse(yaml, new ResourceOrigin("t", "f", 0, 0));
}

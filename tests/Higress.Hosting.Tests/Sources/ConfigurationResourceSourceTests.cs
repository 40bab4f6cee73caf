using Higress.Core.Resources;
using Higress.Hosting.Sources;
using Microsoft.Extensions.Configuration;

namespace Higress.Hosting.Tests.Sources;

public class ConfigurationResourceSourceTests
{
    private const string Settings = """
        {
          "Higress": {
            "Resources": [
              { "apiVersion": "networking.higress.io/v1alpha1", "kind": "Route", "metadata": { "name": "r" },
                "spec": { "hosts": ["api.example.com"], "http": [ { "match": [ { "uri": { "prefix": "/orders" } } ],
                  "route": [ { "destination": { "host": "orders", "port": 8080 }, "weight": 90 } ], "timeout": "10s",
                  "corsPolicy": { "allowCredentials": true } } ] } },
              { "apiVersion": "v1", "kind": "Service", "metadata": { "name": "orders" }, "spec": { "ports": [ { "port": 8080 } ] } }
            ]
          }
        }
        """;

    [Fact]
    public void Binds_resources_with_numbers_and_booleans_from_strings()
    {
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(Settings));
        var configuration = new ConfigurationBuilder().AddJsonStream(stream).Build();

        using var source = new ConfigurationResourceSource(configuration.GetSection("Higress"));

        Assert.Empty(source.Current.Diagnostics);
        var route = Assert.IsType<Route>(source.Current.Resources[0]);
        Assert.Equal(8080, route.Spec.Http[0].Route[0].Destination.Port);
        Assert.Equal(90, route.Spec.Http[0].Route[0].Weight);
        Assert.True(route.Spec.Http[0].CorsPolicy!.AllowCredentials);
        Assert.Equal(["api.example.com"], route.Spec.Hosts);
        Assert.Equal("Higress:Resources#1", route.Origin.Display);
        Assert.IsType<Service>(source.Current.Resources[1]);
    }

    [Fact]
    public void Equals_the_same_objects_read_from_yaml()
    {
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(Settings));
        using var source = new ConfigurationResourceSource(new ConfigurationBuilder().AddJsonStream(stream).Build().GetSection("Higress"));
        var yaml = Higress.Core.Resources.Parsing.ResourceParser.Parse("""
            apiVersion: networking.higress.io/v1alpha1
            kind: Route
            metadata: {name: r}
            spec:
              hosts: [api.example.com]
              http:
              - match: [{uri: {prefix: /orders}}]
                route: [{destination: {host: orders, port: 8080}, weight: 90}]
                timeout: 10s
                corsPolicy: {allowCredentials: true}
            """, ResourceOrigin.Code);

        Assert.Equal(yaml.Resources[0], source.Current.Resources[0]);
    }

    [Fact]
    public void Errors_name_the_configuration_item()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Higress:Resources:0:apiVersion"] = "v1",
            ["Higress:Resources:0:kind"] = "Service",
            ["Higress:Resources:0:metadata:name"] = "a",
            ["Higress:Resources:0:spec:ports:0:port"] = "eighty",
        }).Build();

        using var source = new ConfigurationResourceSource(configuration.GetSection("Higress"));

        Assert.Empty(source.Current.Resources);
        Assert.Equal("Service default/a: spec.ports[0].port: 'eighty' is not a valid whole number; write a whole number such as 8080", Assert.Single(source.Current.Diagnostics).ToString());
    }

    [Fact]
    public void Reloads_when_the_configuration_reloads()
    {
        var data = new Dictionary<string, string?>
        {
            ["Higress:Resources:0:apiVersion"] = "v1",
            ["Higress:Resources:0:kind"] = "Service",
            ["Higress:Resources:0:metadata:name"] = "a",
        };
        var provider = new MutableProvider(data);
        var configuration = new ConfigurationRoot([provider]);
        using var source = new ConfigurationResourceSource(configuration.GetSection("Higress"));
        var token = source.GetChangeToken();
        Assert.Single(source.Current.Resources);

        provider.SetAndReload("Higress:Resources:1:apiVersion", "v1");
        Assert.True(token.HasChanged);
        Assert.Equal("kind", Assert.Single(source.Current.Diagnostics).FieldPath);

        provider.SetAndReload("Higress:Resources:1:kind", "Service");
        provider.SetAndReload("Higress:Resources:1:metadata:name", "b");

        Assert.Empty(source.Current.Diagnostics);
        Assert.Equal(["a", "b"], source.Current.Resources.Select(r => r.Name));
    }

    [Fact]
    public async Task Reloads_when_appsettings_json_changes()
    {
        using var dir = new TempDirectory();
        var file = dir.Write("appsettings.json", Settings);
        var configuration = new ConfigurationBuilder().AddJsonFile(file, optional: false, reloadOnChange: true).Build();
        using var source = new ConfigurationResourceSource(configuration.GetSection("Higress"));
        Assert.Equal(2, source.Current.Resources.Count);

        File.WriteAllText(file, Settings.Replace("\"name\": \"orders\"", "\"name\": \"payments\"", StringComparison.Ordinal));

        await Wait.UntilAsync(() => source.Current.Resources.Any(r => r.Name == "payments"));
    }

    private sealed class MutableProvider(Dictionary<string, string?> data) : ConfigurationProvider
    {
        public override void Load() => Data = new Dictionary<string, string?>(data, StringComparer.OrdinalIgnoreCase);

        public void SetAndReload(string key, string value)
        {
            data[key] = value;
            Load();
            OnReload();
        }
    }
}

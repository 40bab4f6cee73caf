using System.Net;
using Higress.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Higress.Testing.Tests;

public sealed class HigressTestHostTests
{
    [Fact]
    public async Task Routes_rewrites_and_edits_headers_in_process()
    {
        await using var host = await TestRoutes.StartShopAsync();
        using var client = host.CreateClient();

        using var response = await client.GetAsync(new Uri("http://shop.example.com/orders/7"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("orders /v2/orders/7 shop.example.com higress", await response.Content.ReadAsStringAsync());
        Assert.Equal("shop", Assert.Single(response.Headers.GetValues("x-route")));
    }

    [Fact]
    public async Task Answers_redirects_404_and_listener_isolation_locally()
    {
        await using var host = await TestRoutes.StartShopAsync();
        using var client = host.CreateClient();

        using var redirect = await client.GetAsync(new Uri("http://shop.example.com/old?x=1"));
        using var missing = await client.GetAsync(new Uri("http://shop.example.com/nothing"));
        using var otherHost = await client.GetAsync(new Uri("http://example.org/orders/7"));

        Assert.Equal((HttpStatusCode)308, redirect.StatusCode);
        Assert.Equal("http://shop.example.com/new?x=1", redirect.Headers.Location?.ToString());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, otherHost.StatusCode);
    }

    [Fact]
    public async Task Update_swaps_the_plan_and_waits_for_it()
    {
        await using var host = await TestRoutes.StartShopAsync();
        using var client = host.CreateClient();

        await host.UpdateAsync(r => r.AddYaml(TestRoutes.Shop.Replace("prefix: /orders", "prefix: /purchases", StringComparison.Ordinal)));

        using var moved = await client.GetAsync(new Uri("http://shop.example.com/purchases/1"));
        using var gone = await client.GetAsync(new Uri("http://shop.example.com/orders/1"));
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Theory]
    [InlineData(80)]
    [InlineData(443)]
    [InlineData(8080)]
    public async Task Backends_on_default_and_other_ports_are_reached(int port)
    {
        await using var host = await HigressTestHost.StartAsync(h => h
            .AddYaml(TestRoutes.Forward("svc", port))
            .AddBackend("svc", port, c => TestRoutes.Echo(c, "svc")));
        using var client = host.CreateClient();

        using var response = await host.EnsureRoutedAsync(await client.GetAsync(new Uri("http://any.example.com/x")));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("svc /x", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ignores_the_applications_appsettings_unless_asked()
    {
        // The test output holds an appsettings.json (copied from this project) whose Routes conflict with the test's.
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "appsettings.json")));
        await using var host = await TestRoutes.StartShopAsync();
        using var client = host.CreateClient();

        using var orders = await client.GetAsync(new Uri("http://shop.example.com/orders/7"));
        using var app = await client.GetAsync(new Uri("http://shop.example.com/app"));

        Assert.Equal(HttpStatusCode.OK, orders.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, app.StatusCode);
        Assert.DoesNotContain(host.Translation.Plan.Routes, r => r.Source.ToString().Contains("app-only", StringComparison.Ordinal));
        Assert.Empty(host.Translation.Diagnostics);
    }

    [Fact]
    public async Task Uses_the_applications_appsettings_when_asked_and_the_tests_objects_win()
    {
        await using var host = await TestRoutes.StartShopAsync(h => h.UseAppConfiguration());
        using var client = host.CreateClient();

        using var orders = await client.GetAsync(new Uri("http://shop.example.com/orders/7"));
        using var app = await client.GetAsync(new Uri("http://shop.example.com/app"));

        Assert.Equal("orders /v2/orders/7 shop.example.com higress", await orders.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, app.StatusCode);
        Assert.Equal("app route", await app.Content.ReadAsStringAsync());
        var duplicate = Assert.Single(host.Translation.Diagnostics);
        Assert.Contains("duplicate", duplicate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Settings_from_the_test_reach_the_host()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Higress:GatewayClassName"] = "from-configuration" })
            .Build();
        await using var host = await HigressTestHost.StartAsync(h => h
            .UseConfiguration(configuration)
            .UseSetting("Higress:ControllerName", "example.com/test-controller"));

        var options = host.Services.GetRequiredService<IOptions<HigressOptions>>().Value;

        Assert.Equal("from-configuration", options.GatewayClassName);
        Assert.Equal("example.com/test-controller", options.ControllerName);
        Assert.False(options.OpenListeners);
    }

    [Fact]
    public async Task Ignores_environment_variables()
    {
        const string Variable = "Higress__ControllerName";
        Environment.SetEnvironmentVariable(Variable, "example.com/from-environment");
        try
        {
            await using var host = await HigressTestHost.StartAsync(h => h.AddYaml(TestRoutes.Shop));

            var options = host.Services.GetRequiredService<IOptions<HigressOptions>>().Value;
            Assert.Equal("higress.io/gateway-controller", options.ControllerName);
        }
        finally
        {
            Environment.SetEnvironmentVariable(Variable, null);
        }
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Higress.Hosting.Tests.Shutdown;

/// <summary>The <c>Higress:Shutdown</c> settings bind in both duration forms and size the host's shutdown timeout.</summary>
public sealed class GracefulDrainTests
{
    [Fact]
    public void Defaults_are_5s_drain_and_30s_timeout_and_the_host_waits_for_both()
    {
        using var provider = Build([]);

        var shutdown = provider.GetRequiredService<IOptions<HigressOptions>>().Value.Shutdown;
        Assert.Equal(TimeSpan.FromSeconds(5), shutdown.DrainDelay);
        Assert.Equal(TimeSpan.FromSeconds(30), shutdown.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(35), provider.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
    }

    [Theory]
    [InlineData("2s", "500ms", 2000, 500)]
    [InlineData("00:00:01.5", "00:01:00", 1500, 60_000)]
    [InlineData("0s", "1m", 0, 60_000)]
    public void Settings_take_both_duration_forms(string drainDelay, string timeout, int drainMs, int timeoutMs)
    {
        using var provider = Build(new() { ["Higress:Shutdown:DrainDelay"] = drainDelay, ["Higress:Shutdown:Timeout"] = timeout });

        var shutdown = provider.GetRequiredService<IOptions<HigressOptions>>().Value.Shutdown;
        Assert.Equal(TimeSpan.FromMilliseconds(drainMs), shutdown.DrainDelay);
        Assert.Equal(TimeSpan.FromMilliseconds(timeoutMs), shutdown.Timeout);
    }

    [Fact]
    public void A_longer_host_shutdown_timeout_is_kept()
    {
        var configuration = Configuration(new() { ["Higress:Shutdown:DrainDelay"] = "1s", ["Higress:Shutdown:Timeout"] = "2s" });
        var services = new ServiceCollection();
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMinutes(2));
        services.AddHigress(configuration.GetSection("Higress"));
        using var provider = services.BuildServiceProvider();

        Assert.Equal(TimeSpan.FromMinutes(2), provider.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
    }

    [Fact]
    public async Task A_stop_from_code_does_not_wait_for_the_drain_delay()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Higress:Shutdown:DrainDelay"] = "10m", ["Higress:Admin:Enabled"] = "false" });
        builder.Services.AddHigress(builder.Configuration.GetSection("Higress"));
        await using var app = builder.Build();
        app.MapHigress();
        await app.StartAsync();

        // A drain would hold this stop for ten minutes; the bound only guards against a hang.
        var stop = app.StopAsync();
        Assert.Same(stop, await Task.WhenAny(stop, Task.Delay(TimeSpan.FromMinutes(1))));
        await stop;
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddHigress(Configuration(settings).GetSection("Higress"));
        return services.BuildServiceProvider();
    }

    private static IConfigurationRoot Configuration(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
}

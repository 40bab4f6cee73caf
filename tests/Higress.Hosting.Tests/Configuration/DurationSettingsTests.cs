using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Higress.Hosting.Tests.Configuration;

/// <summary>Durations in host settings are written as in resources (<c>200ms</c>, <c>2s</c>) or in the TimeSpan form.</summary>
public sealed class DurationSettingsTests
{
    [Theory]
    [InlineData("200ms", 200)]
    [InlineData("2s", 2000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("00:00:00.5", 500)]
    public void Host_settings_take_both_duration_forms(string written, int milliseconds)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Higress:ReloadDebounce"] = written, ["Higress:ReloadMaxDelay"] = written })
            .Build();
        var services = new ServiceCollection();
        services.AddHigress(configuration.GetSection("Higress"));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<HigressOptions>>().Value;
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), options.ReloadDebounce);
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), options.ReloadMaxDelay);
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Higress.Hosting.Tests.DependencyInjection;

/// <summary>
/// YARP's Data Protection (for session-affinity cookies, which Higress never configures) must not read or create a
/// key ring at start unless the host asked for Data Protection itself; it still works on first use.
/// </summary>
public sealed class DataProtectionWarmUpTests
{
    [Fact]
    public async Task AddHigress_DoesNotWarmDataProtection_WhichStaysAvailable()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddHigress(_ => { });

        Assert.DoesNotContain(builder.Services, IsDataProtectionWarmUp);
        await using var app = builder.Build();
        Assert.NotNull(app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("session-affinity"));
    }

    [Fact]
    public void AddHigress_KeepsTheHostsOwnDataProtectionWarmUp()
    {
        var services = new ServiceCollection();
        services.AddDataProtection();
        services.AddHigress(_ => { });

        Assert.Single(services, IsDataProtectionWarmUp);
    }

    private static bool IsDataProtectionWarmUp(ServiceDescriptor service) =>
        service.ServiceType == typeof(IHostedService) && service.ImplementationType?.Name == "DataProtectionHostedService";
}

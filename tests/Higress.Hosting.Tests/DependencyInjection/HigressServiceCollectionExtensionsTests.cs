using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Higress.Hosting.Tests.DependencyInjection;

public sealed class HigressServiceCollectionExtensionsTests
{
    [Theory]
    [InlineData(null, true)]
    [InlineData("true", true)]
    [InlineData("false", false)]
    public async Task Kestrel_schedules_inline_unless_Higress_FastPath_InlineScheduling_is_off(string? setting, bool expected)
    {
        var builder = WebApplication.CreateSlimBuilder();
        if (setting is not null)
        {
            builder.Configuration["Higress:FastPath:InlineScheduling"] = setting;
        }

        builder.Services.AddHigress(builder.Configuration.GetSection("Higress"));
        await using var app = builder.Build();

        Assert.Equal(expected, app.Services.GetRequiredService<IOptions<SocketTransportOptions>>().Value.UnsafePreferInlineScheduling);
    }
}

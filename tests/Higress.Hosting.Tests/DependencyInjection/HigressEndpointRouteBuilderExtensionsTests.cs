using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Higress.Hosting.Tests.DependencyInjection;

public class HigressEndpointRouteBuilderExtensionsTests
{
    [Fact]
    public async Task MapHigress_returns_the_gateway_builder_which_promises_no_endpoint_conventions()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddHigress(_ => { });
        await using var app = builder.Build();

        object mapped = app.MapHigress();

        Assert.IsType<HigressEndpointConventionBuilder>(mapped);
        Assert.False(mapped is IEndpointConventionBuilder, "gateway traffic bypasses ASP.NET Core routing, so endpoint conventions would never run");
    }
}

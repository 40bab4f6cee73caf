using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Higress.Hosting.Tests.DependencyInjection;

public class HigressEndpointRouteBuilderExtensionsTests
{
    [Fact]
    public async Task MapHigress_returns_a_convention_builder_for_the_gateway()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddHigress(_ => { });
        await using var app = builder.Build();

        object mapped = app.MapHigress();

        Assert.IsType<HigressEndpointConventionBuilder>(mapped);
        Assert.IsAssignableFrom<IEndpointConventionBuilder>(mapped);
    }
}

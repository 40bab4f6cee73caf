using Microsoft.Extensions.DependencyInjection;

namespace Higress.Hosting;

internal sealed class HigressBuilder(IServiceCollection services) : IHigressBuilder
{
    public IServiceCollection Services { get; } = services;
}

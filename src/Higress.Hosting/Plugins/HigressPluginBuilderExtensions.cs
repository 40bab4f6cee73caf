using Higress.Core.Plugins;
using Higress.Hosting;
using Higress.Hosting.Plugins;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds user plugins to a Higress gateway.</summary>
public static class HigressPluginBuilderExtensions
{
    /// <summary>
    /// Registers <typeparamref name="TPlugin"/> as a singleton plugin. Configs then refer to it by its
    /// <see cref="IHigressPlugin.Name"/> (in an Extension's <c>spec.plugin</c> or a rule's inline <c>plugins</c>).
    /// The instance can also be resolved as <typeparamref name="TPlugin"/>, e.g. to read state it exposes.
    /// Registering the same type twice is harmless; two types with the same name fail at startup.
    /// </summary>
    /// <typeparam name="TPlugin">The plugin type; its dependencies come from DI.</typeparam>
    /// <param name="builder">The builder returned by <c>AddHigress()</c>.</param>
    /// <returns>The builder, for chaining.</returns>
    public static IHigressBuilder AddPlugin<TPlugin>(this IHigressBuilder builder)
        where TPlugin : class, IHigressPlugin
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<TPlugin>();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHigressPlugin, TPlugin>(sp => sp.GetRequiredService<TPlugin>()));
        HigressPluginServices.Add(builder.Services);
        return builder;
    }
}

using System.Collections.Concurrent;
using System.Reflection;

namespace Higress.Core.Plugins;

/// <summary>
/// Whether a plugin acts on responses: it overrides <c>OnResponseAsync</c> of <see cref="HigressPlugin{TConfig}"/> or
/// <see cref="HigressPlugin{TConfig, TState}"/>. A plugin that implements <see cref="IHigressPlugin"/> itself may do
/// anything in its response handler, so it counts as acting. Known once per plugin type.
/// </summary>
internal static class ResponsePhase
{
    private static readonly ConcurrentDictionary<Type, bool> Known = new();

    public static bool IsHandledBy(IHigressPlugin plugin) => Known.GetOrAdd(plugin.GetType(), Overrides);

    private static bool Overrides(Type type)
    {
        // A public handler declared below the base classes is an override (or the plugin's own implementation); a
        // plugin with none public implements the interface explicitly, and may do anything in it.
        var handlers = type.GetMethods(BindingFlags.Public | BindingFlags.Instance).Where(m => m.Name == nameof(IHigressPlugin.OnResponseAsync)).ToList();
        return handlers.Count == 0 || handlers.Any(m => !IsBase(m.DeclaringType));
    }

    private static bool IsBase(Type? type) =>
        type is { IsGenericType: true } && (type.GetGenericTypeDefinition() == typeof(HigressPlugin<>) || type.GetGenericTypeDefinition() == typeof(HigressPlugin<,>));
}

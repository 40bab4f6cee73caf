using Higress.Core.Plugins.BuiltIn.CustomResponse;

namespace Higress.Core.Plugins.BuiltIn;

/// <summary>The plugins every catalog starts with. Add a built-in here and in <c>docs/plugins.md</c>.</summary>
internal static class BuiltInPlugins
{
    public static IHigressPlugin[] Create() => [new CustomResponsePlugin()];
}

using Higress.Core.Plugins.BuiltIn.BasicAuth;
using Higress.Core.Plugins.BuiltIn.CustomResponse;
using Higress.Core.Plugins.BuiltIn.HmacAuth;
using Higress.Core.Plugins.BuiltIn.IpRestriction;
using Higress.Core.Plugins.BuiltIn.JwtAuth;
using Higress.Core.Plugins.BuiltIn.KeyAuth;
using Higress.Core.Plugins.BuiltIn.RequestBlock;

namespace Higress.Core.Plugins.BuiltIn;

/// <summary>
/// The plugins every catalog starts with, created through dependency injection so that they can take an
/// <c>HttpClient</c>, a <c>TimeProvider</c>, loggers and options. Add a built-in here and in <c>docs/plugins.md</c>.
/// </summary>
internal static class BuiltInPlugins
{
    public static Type[] Types { get; } =
    [
        typeof(CustomResponsePlugin),
        typeof(KeyAuthPlugin),
        typeof(BasicAuthPlugin),
        typeof(HmacAuthPlugin),
        typeof(IpRestrictionPlugin),
        typeof(RequestBlockPlugin),
        typeof(Cors.CorsPlugin),
        typeof(Transformer.TransformerPlugin),
        typeof(JwtAuthPlugin),
        typeof(Opa.OpaPlugin),
    ];
}

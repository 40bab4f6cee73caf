namespace Higress.Opa.Builtins.Library;

internal static class JwtBuiltins
{
    public static void Register(BuiltinRegistry r)
    {
        ArgumentNullException.ThrowIfNull(r);
    }
}

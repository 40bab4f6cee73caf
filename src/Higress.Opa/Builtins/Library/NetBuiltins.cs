namespace Higress.Opa.Builtins.Library;

internal static class NetBuiltins
{
    public static void Register(BuiltinRegistry r)
    {
        ArgumentNullException.ThrowIfNull(r);
    }
}

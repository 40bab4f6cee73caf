namespace Higress.Opa.Builtins.Library;

internal static class HttpBuiltins
{
    public static void Register(BuiltinRegistry r)
    {
        ArgumentNullException.ThrowIfNull(r);
    }
}

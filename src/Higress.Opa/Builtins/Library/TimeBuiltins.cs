namespace Higress.Opa.Builtins.Library;

internal static class TimeBuiltins
{
    public static void Register(BuiltinRegistry r)
    {
        ArgumentNullException.ThrowIfNull(r);
    }
}

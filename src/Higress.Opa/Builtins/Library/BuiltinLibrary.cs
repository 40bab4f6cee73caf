namespace Higress.Opa.Builtins.Library;

/// <summary>Placeholder: the built-in library registers its functions here (owned by the built-ins engineer).</summary>
internal static partial class BuiltinLibrary
{
    /// <summary>Registers all library built-ins.</summary>
    public static void RegisterAll(BuiltinRegistry r)
    {
        ArgumentNullException.ThrowIfNull(r);
    }
}

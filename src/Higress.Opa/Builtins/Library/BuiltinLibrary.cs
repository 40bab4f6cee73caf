namespace Higress.Opa.Builtins.Library;

/// <summary>The library of OPA built-in functions (strings, regex, encodings, time, net, crypto, JWT, ...).</summary>
internal static partial class BuiltinLibrary
{
    /// <summary>Registers all library built-ins.</summary>
    public static void RegisterAll(BuiltinRegistry r)
    {
        ArgumentNullException.ThrowIfNull(r);
        AggregateBuiltins.Register(r);
        NumberBuiltins.Register(r);
        BitsBuiltins.Register(r);
        StringBuiltins.Register(r);
        SprintfBuiltins.Register(r);
        TypeBuiltins.Register(r);
        ArrayBuiltins.Register(r);
        SetBuiltins.Register(r);
        ObjectBuiltins.Register(r);
        EncodingBuiltins.Register(r);
        JsonBuiltins.Register(r);
        JsonPatchBuiltins.Register(r);
        UnitsBuiltins.Register(r);
        RegexBuiltins.Register(r);
        GlobBuiltins.Register(r);
        TimeBuiltins.Register(r);
        NetBuiltins.Register(r);
        SemverBuiltins.Register(r);
        UuidBuiltins.Register(r);
        CryptoBuiltins.Register(r);
        JwtBuiltins.Register(r);
        HttpBuiltins.Register(r);
        GraphBuiltins.Register(r);
        AwsBuiltins.Register(r);
        JsonSchemaBuiltins.Register(r);
        GlobsMatchBuiltins.Register(r);
        X509Builtins.Register(r);
        TemplateBuiltins.Register(r);
        GraphQLBuiltins.Register(r);
    }
}

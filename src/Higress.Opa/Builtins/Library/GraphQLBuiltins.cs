using Higress.Opa.Values;

namespace Higress.Opa.Builtins.Library;

/// <summary>
/// graphql.parse_query and graphql.parse_schema (parsing only). The validating built-ins (graphql.is_valid,
/// graphql.schema_is_valid, graphql.parse, graphql.parse_and_verify) are not implemented.
/// </summary>
internal static class GraphQLBuiltins
{
    public static void Register(BuiltinRegistry r)
    {
        r.Register1("graphql.parse_query", (a, _) => new GraphQLParser(Operand.AsString(a, 1)).ParseQueryDocument());
        r.Register1("graphql.parse_schema", (a, _) => a switch
        {
            RegoString s => new GraphQLParser(s.Value).ParseSchemaDocument(),
            RegoObject o => o,
            _ => throw BuiltinException.OperandType(1, a, "object", "string"),
        });
    }
}

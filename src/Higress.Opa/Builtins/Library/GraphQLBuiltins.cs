using Higress.Opa.Values;

namespace Higress.Opa.Builtins.Library;

/// <summary>
/// graphql.*: parsing (GraphQLParser), schema validation (GraphQLSchema, GraphQLSchemaRules) and query validation
/// (GraphQLQueryValidator) as OPA does them with gqlparser. Queries and schemas are strings or their AST objects.
/// </summary>
internal static class GraphQLBuiltins
{
    public static void Register(BuiltinRegistry r)
    {
        r.Register1("graphql.parse_query", (a, _) => GraphQLAst.Prune(new GraphQLParser(Operand.AsString(a, 1)).ParseQueryDocument()));
        r.Register1("graphql.parse_schema", (a, _) => GraphQLAst.Prune(new GraphQLParser(Operand.AsString(a, 1)).ParseSchemaDocument()));
        r.Register2("graphql.is_valid", (q, s, ctx) => RegoValue.Boolean(TryVerify(q, s, out _, out _)));
        r.Register1("graphql.schema_is_valid", (s, _) =>
        {
            try
            {
                GraphQLSchema.Load(Schema(s, strict: false));
                return RegoBoolean.True;
            }
            catch (Exception e) when (e is GraphQLError or BuiltinException)
            {
                return RegoBoolean.False;
            }
        });
        r.Register2("graphql.parse", (q, s, _) =>
        {
            var (query, schema) = Verify(q, s);
            return RegoArray.Create(GraphQLAst.Prune(query), GraphQLAst.Prune(schema));
        });
        r.Register2("graphql.parse_and_verify", (q, s, _) => TryVerify(q, s, out var query, out var schema)
            ? RegoArray.Create(RegoBoolean.True, GraphQLAst.Prune(query!), GraphQLAst.Prune(schema!))
            : RegoArray.Create(RegoBoolean.False, RegoObject.Empty, RegoObject.Empty));
    }

    private static RegoObject Query(RegoValue q, bool strict) => q switch
    {
        RegoString s => new GraphQLParser(s.Value).ParseQueryDocument(),
        RegoObject o => o,
        _ => throw (strict ? BuiltinException.OperandType(0, q, "object", "string") : BuiltinException.Error("not a query")),
    };

    private static RegoObject Schema(RegoValue s, bool strict) => s switch
    {
        RegoString str => new GraphQLParser(str.Value).ParseSchemaDocument(),
        RegoObject o => o,
        _ => throw (strict ? BuiltinException.OperandType(1, s, "object", "string") : BuiltinException.Error("not a schema")),
    };

    private static bool TryVerify(RegoValue q, RegoValue s, out RegoObject? query, out RegoObject? schema)
    {
        try
        {
            (query, schema) = Verify(q, s, strict: false);
            return true;
        }
        catch (BuiltinException)
        {
            query = schema = null;
            return false;
        }
    }

    /// <summary>Parses and validates; errors are built-in errors with OPA's messages.</summary>
    private static (RegoObject Query, RegoObject Schema) Verify(RegoValue q, RegoValue s, bool strict = true)
    {
        var query = Query(q, strict);
        var schemaDoc = Schema(s, strict);
        GraphQLSchema schema;
        try
        {
            schema = GraphQLSchema.Load(schemaDoc);
        }
        catch (GraphQLError e)
        {
            throw BuiltinException.Error("Error in gqlparser SchemaDocument to Schema conversion: " + e.GqlText);
        }
        var errors = GraphQLQueryValidator.Validate(schema, query);
        if (errors.Count > 0)
        {
            // As OPA: gqlparser's error list as text, split at the first error's location.
            string all = string.Concat(errors.Select(e => e.GqlText + "\n"));
            string[] parts = all.Split(':', 4);
            string message = parts[3].TrimStart(' ');
            if (message.EndsWith(".\n", StringComparison.Ordinal))
            {
                message = message[..^2];
            }
            throw BuiltinException.Error($"{message} in GraphQL string at location {parts[1]}:{parts[2]}");
        }
        return (query, schemaDoc);
    }
}

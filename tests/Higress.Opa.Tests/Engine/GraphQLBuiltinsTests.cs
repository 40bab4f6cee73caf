using Higress.Opa.Values;

namespace Higress.Opa.Tests.Engine;

/// <summary>graphql.* with schema and query validation (gqlparser's rules, as OPA).</summary>
public sealed class GraphQLBuiltinsTests
{
    private const string Schema = """
        type Query {
          employee(id: ID!): Employee
          employees(dept: Dept = ENG, first: Int): [Employee!]!
        }
        type Employee implements Node {
          id: ID!
          name: String
          salary: Int
          manager: Employee
        }
        interface Node { id: ID! }
        enum Dept { ENG SALES }
        input Filter { dept: Dept! name: String }
        type Mutation { raise(id: ID!, by: Int!, filter: Filter): Employee }
        """;

    private static RegoValue Eval(string expression, string query) =>
        new PolicyCompiler()
            .AddModule("t.rego", "package t\n\nschema := `" + Schema + "`\n\nquery := `" + query + "`\n\np := " + expression + "\n")
            .Compile().PrepareQuery("data.t.p").Evaluate(null).Value!;

    private static bool IsValid(string query) => ((RegoBoolean)Eval("graphql.is_valid(query, schema)", query)).Value;

    [Theory]
    [InlineData("{ employee(id: \"1\") { name salary } }")]
    [InlineData("query Q($id: ID!) { employee(id: $id) { ...Who } } fragment Who on Employee { name manager { name } }")]
    [InlineData("{ employees { id } e2: employees(dept: SALES, first: 2) { id __typename } }")]
    [InlineData("query($id: ID! = \"7\", $on: Boolean!) { employee(id: $id) { name @include(if: $on) } }")]
    [InlineData("mutation { raise(id: 1, by: 10, filter: {dept: ENG}) { salary } }")]
    [InlineData("{ employee(id: 1) { ... on Node { id } } }")]
    public void ValidQueries_AreValid(string query) => Assert.True(IsValid(query));

    [Theory]
    [InlineData("{ employee(id: \"1\") { nope } }", "Cannot query field \"nope\" on type \"Employee\" in GraphQL string at location 1:23")]
    [InlineData("{ employee { name } }", "Field \"employee\" argument \"id\" of type \"ID!\" is required, but it was not provided in GraphQL string at location 1:3")]
    [InlineData("{ employees(dept: HR) { id } }", "Value \"HR\" does not exist in \"Dept\" enum in GraphQL string at location 1:19")]
    [InlineData("{ employees(first: \"x\") { id } }", "Int cannot represent non-integer value: \"x\"\n in GraphQL string at location 1:21")]
    [InlineData("{ employee(id: $id) { name } }", "Variable \"$id\" is not defined in GraphQL string at location 1:16")]
    [InlineData("query Q($id: ID!) { employees { id } }", "Variable \"$id\" is never used in operation \"Q\" in GraphQL string at location 1:9")]
    [InlineData("query($id: ID) { employee(id: $id) { name } }", "Variable \"$id\" of type \"ID\" used in position expecting type \"ID!\" in GraphQL string at location 1:31")]
    [InlineData("{ employee(id: 1) }", "Field \"employee\" of type \"Employee\" must have a selection of subfields in GraphQL string at location 1:3")]
    // several errors: gqlparser's list as text, the location being the first error's (as OPA)
    [InlineData("{ employee(id: 1) { name { x } } }", "Cannot query field \"x\" on type \"String\".\ninput:1:21: Field \"name\" must not have a selection since type \"String\" has no subfields in GraphQL string at location 1:28")]
    [InlineData("{ employee(id: 1) { ...Missing } }", "Unknown fragment \"Missing\" in GraphQL string at location 1:21")]
    [InlineData("subscription { x }", "Schema does not support operation type \"subscription\"\n in GraphQL string at location 1:1")]
    [InlineData("mutation { raise(id: 1, by: 1, filter: {name: \"a\"}) { id } }", "Field \"Filter.dept\" of required type \"Dept!\" was not provided in GraphQL string at location 1:40")]
    [InlineData("{ employee(id: 1) { name name: salary } }", "Fields \"name\" conflict because name and salary are different fields. Use different aliases on the fields to fetch both if this was intentional in GraphQL string at location 1:26")]
    public void InvalidQueries_AreInvalid_WithGqlparsersMessage(string query, string message)
    {
        Assert.False(IsValid(query));
        var e = Assert.Throws<RegoException>(() => new PolicyCompiler()
            .AddModule("t.rego", "package t\n\nschema := `" + Schema + "`\n\nquery := `" + query + "`\n\np := graphql.parse(query, schema)\n")
            .Compile().PrepareQuery("data.t.p").Evaluate(null, new EvaluationOptions { StrictBuiltinErrors = true }));
        Assert.Equal("graphql.parse: " + message, e.Message);
        Assert.Equal("[false, {}, {}]", Eval("graphql.parse_and_verify(query, schema)", query).ToString());
    }

    [Fact]
    public void AstObjects_AreAcceptedInPlaceOfText()
    {
        var v = Eval("graphql.is_valid(graphql.parse_query(query), graphql.parse_schema(schema))", "{ employee(id: 1) { name } }");
        Assert.Equal(RegoBoolean.True, v);
        var parsed = (RegoArray)Eval("graphql.parse_and_verify(query, schema)", "{ employee(id: 1) { name } }");
        Assert.Equal(RegoBoolean.True, parsed[0]);
        Assert.DoesNotContain("Position", parsed[1].ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("extend type Query { a: Int }", true)]
    [InlineData("type Query { a: Missing }", false)]
    [InlineData("type Query { a: Int } type Empty", false)]
    [InlineData("type A implements Node { x: Int } interface Node { id: ID! }", false)]
    [InlineData("interface I { id: ID! } interface J implements I { id: ID! } type A implements J { id: ID! }", false)]
    [InlineData("interface I { id: ID! } interface J implements I { id: ID! } type A implements J & I { id: ID! }", true)]
    [InlineData("union U = A | B type A { a: Int }", false)]
    [InlineData("type Query { a(f: Query): Int }", false)]
    [InlineData("scalar Date @specifiedBy(url: \"x\")", true)]
    [InlineData("type Query { a: Int @skip(if: true) }", false)]
    [InlineData("schema { query: Missing }", false)]
    [InlineData("type String { a: Int }", false)]
    public void SchemaValidation_FollowsGqlparser(string schema, bool valid) =>
        Assert.Equal(RegoValue.Boolean(valid), new PolicyCompiler()
            .AddModule("t.rego", "package t\n\np := graphql.schema_is_valid(`" + schema + "`)\n")
            .Compile().PrepareQuery("data.t.p").Evaluate(null).Value);
}

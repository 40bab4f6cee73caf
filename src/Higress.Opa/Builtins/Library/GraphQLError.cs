using Higress.Opa.Values;

namespace Higress.Opa.Builtins.Library;

/// <summary>A schema or query validation error: gqlparser's message and the node it is about.</summary>
internal sealed class GraphQLError(string message, RegoObject? node) : Exception(message)
{
    public RegoObject? Node { get; } = node;

    /// <summary>gqlerror's text: <c>input:line:column: message</c>.</summary>
    public string GqlText => "input:" + GraphQLAst.Location(Node) + ": " + Message;
}

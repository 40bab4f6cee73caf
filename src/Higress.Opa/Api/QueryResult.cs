using System.Collections;
using System.Text.Json;
using Higress.Opa.Values;

namespace Higress.Opa;

/// <summary>One solution of a query.</summary>
public sealed class QueryResultItem
{
    internal QueryResultItem(RegoObject bindings, RegoValue? value)
    {
        Bindings = bindings;
        Value = value;
    }

    /// <summary>The query's variables and their values (an object keyed by variable name).</summary>
    public RegoObject Bindings { get; }

    /// <summary>For a single-term query (e.g. <c>data.envoy.authz.allow</c>), the term's value; otherwise null.</summary>
    public RegoValue? Value { get; }
}

/// <summary>The solutions of a query. Empty when the query is undefined.</summary>
public sealed class QueryResult : IReadOnlyList<QueryResultItem>
{
    private readonly List<QueryResultItem> _items;

    internal QueryResult(List<QueryResultItem> items) => _items = items;

    /// <summary>True when the query has at least one solution.</summary>
    public bool IsDefined => _items.Count > 0;

    /// <summary>The value of the first solution of a single-term query, or null when undefined.</summary>
    public RegoValue? Value => _items.Count > 0 ? _items[0].Value : null;

    /// <summary>True when the first solution's value is the boolean true (the usual "allow" check).</summary>
    public bool IsTrue => Value is RegoBoolean { Value: true };

    /// <inheritdoc />
    public int Count => _items.Count;

    /// <inheritdoc />
    public QueryResultItem this[int index] => _items[index];

    /// <summary>The first solution's value as plain .NET values (see <see cref="RegoValue.ToObject"/>).</summary>
    public object? ToObject() => Value?.ToObject();

    /// <summary>The first solution's value as a <see cref="JsonElement"/>, or null when undefined.</summary>
    public JsonElement? ToJsonElement() => Value is null ? null : RegoConvert.ToJsonElement(Value);

    /// <inheritdoc />
    public IEnumerator<QueryResultItem> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

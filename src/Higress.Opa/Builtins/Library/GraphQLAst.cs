using Higress.Opa.Values;

namespace Higress.Opa.Builtins.Library;

/// <summary>
/// Reading the AST objects <see cref="GraphQLParser"/> produces (the JSON shape of gqlparser's AST, which is also what
/// a policy may pass back in as an object), and pruning them to the shape OPA returns.
/// </summary>
internal static class GraphQLAst
{
    public static string Str(RegoObject o, string key) => o.TryGetValue(RegoString.Create(key), out var v) && v is RegoString s ? s.Value : "";

    public static bool Bool(RegoObject o, string key) => o.TryGetValue(RegoString.Create(key), out var v) && v is RegoBoolean { Value: true };

    public static RegoObject? Obj(RegoObject o, string key) => o.TryGetValue(RegoString.Create(key), out var v) ? v as RegoObject : null;

    public static IEnumerable<RegoObject> Objs(RegoObject o, string key)
    {
        if (o.TryGetValue(RegoString.Create(key), out var v) && v is RegoArray a)
        {
            foreach (var item in a)
            {
                if (item is RegoObject x)
                {
                    yield return x;
                }
            }
        }
    }

    public static IEnumerable<string> Strs(RegoObject o, string key)
    {
        if (o.TryGetValue(RegoString.Create(key), out var v) && v is RegoArray a)
        {
            foreach (var item in a)
            {
                if (item is RegoString s)
                {
                    yield return s.Value;
                }
            }
        }
    }

    /// <summary>"line:column" of a node, as gqlparser reports it ("0:0" for an AST given as an object without positions).</summary>
    public static string Location(RegoObject? node)
    {
        var p = node is null ? null : Obj(node, "Position");
        if (p is null)
        {
            return "0:0";
        }
        return Num(p, "Line") + ":" + Num(p, "Column");
    }

    private static string Num(RegoObject o, string key) => o.TryGetValue(RegoString.Create(key), out var v) && v is RegoNumber n ? n.ToText() : "0";

    /// <summary>Drops "Position" keys, nulls and empty arrays/objects, as OPA's pruneIrrelevantGraphQLASTNodes.</summary>
    public static RegoValue Prune(RegoValue v)
    {
        switch (v)
        {
            case RegoArray a:
            {
                var items = new List<RegoValue>(a.Count);
                foreach (var e in a.AsSpan())
                {
                    if (e is RegoNull)
                    {
                        continue;
                    }
                    var p = Prune(e);
                    if (!IsEmpty(p) || p is not (RegoArray or RegoObject))
                    {
                        items.Add(p);
                    }
                }
                return RegoArray.Create(items);
            }
            case RegoObject o:
            {
                var pairs = new List<KeyValuePair<RegoValue, RegoValue>>(o.Count);
                foreach (var (k, e) in o)
                {
                    if (k is RegoString { Value: "Position" } || e is RegoNull)
                    {
                        continue;
                    }
                    var p = Prune(e);
                    if (!IsEmpty(p) || p is not (RegoArray or RegoObject))
                    {
                        pairs.Add(new(k, p));
                    }
                }
                return RegoObject.Create(pairs);
            }
            default:
                return v;
        }
    }

    private static bool IsEmpty(RegoValue v) => v is RegoArray { Count: 0 } or RegoObject { Count: 0 };
}

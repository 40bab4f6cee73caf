using Higress.Opa.Values;

namespace Higress.Opa.Builtins.Library;

/// <summary>json.filter and json.remove: paths are "a/b/c" strings (JSON-pointer escapes) or arrays of segments.</summary>
internal static class JsonFilterBuiltins
{
    public static void Register(BuiltinRegistry r)
    {
        r.Register2("json.filter", (a, b, _) => (RegoValue?)Filter(Operand.AsObject(a, 1), BuildTree(b)));
        r.Register2("json.remove", (a, b, _) => (RegoValue?)Remove(Operand.AsObject(a, 1), BuildTree(b)));
    }

    private sealed class Node
    {
        public bool Terminal;
        public readonly List<(RegoValue Seg, Node Child)> Children = [];

        public Node Child(RegoValue seg)
        {
            foreach (var (s, c) in Children)
            {
                if (s.Equals(seg))
                {
                    return c;
                }
            }
            var n = new Node();
            Children.Add((seg, n));
            return n;
        }

        public Node? Find(RegoValue key)
        {
            foreach (var (s, c) in Children)
            {
                if (s.Equals(key))
                {
                    return c;
                }
            }
            if (key is RegoNumber n && n.IsInteger)
            {
                var text = RegoString.Create(n.ToText());
                foreach (var (s, c) in Children)
                {
                    if (s.Equals(text))
                    {
                        return c;
                    }
                }
            }
            return null;
        }
    }

    private static Node BuildTree(RegoValue paths)
    {
        if (paths is not (RegoArray or RegoSet))
        {
            throw ObjectBuiltins.TypeErr(2, paths, "set", "array");
        }
        var root = new Node();
        foreach (var p in Operand.AsArrayOrSet(paths, 2))
        {
            List<RegoValue> segs;
            if (p is RegoString s)
            {
                segs = [.. ParsePath(s.Value).Select(x => (RegoValue)RegoString.Create(x))];
            }
            else if (p is RegoArray a)
            {
                segs = [.. a.AsSpan()];
            }
            else
            {
                throw BuiltinException.TypeError($"operand 2 must be one of {{set, array}} containing string paths or array of path segments but got {p.TypeName}");
            }
            var node = root;
            foreach (var seg in segs)
            {
                node = node.Child(seg);
            }
            node.Terminal = true;
        }
        return root;
    }

    private static List<string> ParsePath(string s)
    {
        s = s.TrimStart('/');
        if (s.Length == 0)
        {
            return [];
        }
        return [.. s.Split('/').Select(Unescape)];
    }

    internal static string Unescape(string t) => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);

    private static RegoValue Filter(RegoValue v, Node node)
    {
        if (node.Terminal)
        {
            return v;
        }
        switch (v)
        {
            case RegoObject o:
                var pairs = new List<KeyValuePair<RegoValue, RegoValue>>();
                foreach (var kv in o)
                {
                    var child = node.Find(kv.Key);
                    if (child is not null)
                    {
                        pairs.Add(new(kv.Key, Filter(kv.Value, child)));
                    }
                }
                return RegoObject.Create(pairs);
            case RegoArray a:
                var items = new List<RegoValue>();
                for (int i = 0; i < a.Count; i++)
                {
                    var child = node.Find(RegoNumber.FromInt64(i));
                    if (child is not null)
                    {
                        items.Add(Filter(a[i], child));
                    }
                }
                return RegoArray.Create(items);
            case RegoSet set:
                var elems = new List<RegoValue>();
                foreach (var e in set.AsSpan())
                {
                    var child = node.Find(e);
                    if (child is not null)
                    {
                        elems.Add(Filter(e, child));
                    }
                }
                return RegoSet.Create(elems);
            default:
                return v;
        }
    }

    private static RegoValue Remove(RegoValue v, Node node)
    {
        switch (v)
        {
            case RegoObject o:
                var pairs = new List<KeyValuePair<RegoValue, RegoValue>>();
                foreach (var kv in o)
                {
                    var child = node.Find(kv.Key);
                    if (child is null)
                    {
                        pairs.Add(kv);
                    }
                    else if (!child.Terminal)
                    {
                        pairs.Add(new(kv.Key, Remove(kv.Value, child)));
                    }
                }
                return RegoObject.Create(pairs);
            case RegoArray a:
                var items = new List<RegoValue>();
                for (int i = 0; i < a.Count; i++)
                {
                    var child = node.Find(RegoNumber.FromInt64(i));
                    if (child is null)
                    {
                        items.Add(a[i]);
                    }
                    else if (!child.Terminal)
                    {
                        items.Add(Remove(a[i], child));
                    }
                }
                return RegoArray.Create(items);
            case RegoSet set:
                var elems = new List<RegoValue>();
                foreach (var e in set.AsSpan())
                {
                    var child = node.Find(e);
                    if (child is null)
                    {
                        elems.Add(e);
                    }
                    else if (!child.Terminal)
                    {
                        elems.Add(Remove(e, child));
                    }
                }
                return RegoSet.Create(elems);
            default:
                return v;
        }
    }
}

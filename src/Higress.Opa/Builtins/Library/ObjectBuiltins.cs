using Higress.Opa.Values;

namespace Higress.Opa.Builtins.Library;

internal static class ObjectBuiltins
{
    public static void Register(BuiltinRegistry r)
    {
        r.Register3("object.get", (o, k, d, _) => Get(Operand.AsObject(o, 1), k, d));
        r.Register2("object.union", (a, b, _) => Union(Operand.AsObject(a, 1), Operand.AsObject(b, 2)));
        r.Register1("object.union_n", (a, _) =>
        {
            var arr = Operand.AsArray(a, 1);
            var acc = RegoObject.Empty;
            foreach (var e in arr.AsSpan())
            {
                var o = e as RegoObject ?? throw BuiltinException.TypeError($"operand 1 must be array of objects but got array containing {e.TypeName}");
                acc = Union(acc, o);
            }
            return acc;
        });
        r.Register2("object.filter", (a, b, _) =>
        {
            var o = Operand.AsObject(a, 1);
            var keys = KeySet(b, 2);
            return RegoObject.Create(o.Where(kv => keys.Contains(kv.Key)));
        });
        r.Register2("object.remove", (a, b, _) =>
        {
            var o = Operand.AsObject(a, 1);
            var keys = KeySet(b, 2);
            return RegoObject.Create(o.Where(kv => !keys.Contains(kv.Key)));
        });
        r.Register1("object.keys", (a, _) => RegoSet.Create(Operand.AsObject(a, 1).Keys));
        r.Register2("object.subset", (a, b, _) =>
        {
            CheckCollection(a, 1);
            CheckCollection(b, 2);
            return RegoValue.Boolean(IsSubset(a, b));
        });
    }

    internal static BuiltinException TypeErr(int pos, RegoValue v, params string[] types) =>
        BuiltinException.TypeError($"operand {pos} must be one of {{{string.Join(", ", types)}}} but got {v.TypeName}");

    private static void CheckCollection(RegoValue v, int pos)
    {
        if (v is not (RegoObject or RegoSet or RegoArray))
        {
            throw TypeErr(pos, v, "object", "set", "array");
        }
    }

    private static HashSet<RegoValue> KeySet(RegoValue v, int pos)
    {
        return v switch
        {
            RegoObject o => [.. o.Keys],
            RegoSet s => [.. s.AsSpan()],
            RegoArray a => [.. a.AsSpan()],
            _ => throw TypeErr(pos, v, "object", "set", "array"),
        };
    }

    private static RegoValue Get(RegoObject o, RegoValue key, RegoValue dflt)
    {
        if (key is not RegoArray path)
        {
            return o.Get(key) ?? dflt;
        }
        RegoValue cur = o;
        foreach (var seg in path.AsSpan())
        {
            RegoValue? next = cur switch
            {
                RegoObject obj => obj.Get(seg),
                RegoArray arr when seg is RegoNumber n && n.IsInteger && n.TryGetInt32(out int i) && i >= 0 && i < arr.Count => arr[i],
                RegoSet set when set.Contains(seg) => seg,
                _ => null,
            };
            if (next is null)
            {
                return dflt;
            }
            cur = next;
        }
        return cur;
    }

    internal static RegoObject Union(RegoObject a, RegoObject b)
    {
        var result = a;
        foreach (var kv in b)
        {
            if (a.TryGetValue(kv.Key, out var av) && av is RegoObject ao && kv.Value is RegoObject bo)
            {
                result = result.With(kv.Key, Union(ao, bo));
            }
            else
            {
                result = result.With(kv.Key, kv.Value);
            }
        }
        return result;
    }

    private static bool IsSubset(RegoValue sup, RegoValue sub)
    {
        switch (sup, sub)
        {
            case (RegoObject so, RegoObject bo):
                foreach (var kv in bo)
                {
                    if (!so.TryGetValue(kv.Key, out var sv) || !IsSubset(sv, kv.Value))
                    {
                        return false;
                    }
                }
                return true;
            case (RegoSet ss, RegoSet bs):
                foreach (var e in bs.AsSpan())
                {
                    if (!ss.Contains(e))
                    {
                        return false;
                    }
                }
                return true;
            case (RegoArray sa, RegoSet bs):
                var have = new HashSet<RegoValue>(sa);
                foreach (var e in bs.AsSpan())
                {
                    if (!have.Contains(e))
                    {
                        return false;
                    }
                }
                return true;
            case (RegoArray sa, RegoArray ba):
                if (ba.Count == 0)
                {
                    return true;
                }
                for (int start = 0; start + ba.Count <= sa.Count; start++)
                {
                    bool ok = true;
                    for (int j = 0; j < ba.Count && ok; j++)
                    {
                        ok = sa[start + j].Equals(ba[j]);
                    }
                    if (ok)
                    {
                        return true;
                    }
                }
                return false;
            default:
                return sup.Equals(sub);
        }
    }
}

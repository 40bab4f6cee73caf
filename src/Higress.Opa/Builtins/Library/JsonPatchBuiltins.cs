using System.Globalization;
using Higress.Opa.Values;

namespace Higress.Opa.Builtins.Library;

/// <summary>json.patch (RFC 6902; paths may also be arrays of segments, and sets are patched by member).</summary>
internal static class JsonPatchBuiltins
{
    public static void Register(BuiltinRegistry r)
    {
        r.Register2("json.patch", (a, b, _) => Patch(a, Operand.AsArray(b, 2)));
        JsonFilterBuiltins.Register(r);
    }

    private static RegoValue? Patch(RegoValue doc, RegoArray ops)
    {
        foreach (var opv in ops.AsSpan())
        {
            if (opv is not RegoObject op || op.Get("op") is not RegoString opName || op.Get("path") is not { } pathVal)
            {
                return null;
            }
            var path = PathOf(pathVal);
            if (path is null)
            {
                return null;
            }
            RegoValue? result;
            switch (opName.Value)
            {
                case "add":
                    result = op.Get("value") is { } av ? Add(doc, path, av) : null;
                    break;
                case "remove":
                    result = RemoveAt(doc, path);
                    break;
                case "replace":
                    result = op.Get("value") is { } rv && Get(doc, path) is not null ? RemoveThenAdd(doc, path, rv) : null;
                    break;
                case "move":
                    {
                        var from = op.Get("from") is { } fv ? PathOf(fv) : null;
                        if (from is null || (path.Count > from.Count && path.Take(from.Count).SequenceEqual(from)))
                        {
                            result = null;
                            break;
                        }
                        var val = Get(doc, from);
                        var removed = val is null ? null : RemoveAt(doc, from);
                        result = removed is null ? null : Add(removed, path, val!);
                        break;
                    }
                case "copy":
                    {
                        var from = op.Get("from") is { } fv ? PathOf(fv) : null;
                        var val = from is null ? null : Get(doc, from);
                        result = val is null ? null : Add(doc, path, val);
                        break;
                    }
                case "test":
                    {
                        var cur = Get(doc, path);
                        result = cur is not null && op.Get("value") is { } tv && cur.Equals(tv) ? doc : null;
                        break;
                    }
                default:
                    result = null;
                    break;
            }
            if (result is null)
            {
                return null;
            }
            doc = result;
        }
        return doc;
    }

    private static RegoValue? RemoveThenAdd(RegoValue doc, List<RegoValue> path, RegoValue value)
    {
        if (path.Count == 0)
        {
            return value;
        }
        var removed = RemoveAt(doc, path);
        return removed is null ? null : Add(removed, path, value);
    }

    private static string Unescape(string t) => JsonFilterBuiltins.Unescape(t);

    private static List<RegoValue>? PathOf(RegoValue v)
    {
        if (v is RegoArray a)
        {
            return [.. a.AsSpan()];
        }
        if (v is not RegoString str)
        {
            return null;
        }
        string s = str.Value;
        if (s.Length == 0)
        {
            return [];
        }
        if (s[0] == '/')
        {
            s = s[1..];
        }
        return [.. s.Split('/').Select(t => (RegoValue)RegoString.Create(Unescape(t)))];
    }

    private static bool TryIndex(RegoValue seg, int count, out int index)
    {
        index = -1;
        if (seg is RegoNumber n)
        {
            return n.IsInteger && n.TryGetInt32(out index) && index >= 0 && index < count;
        }
        if (seg is not RegoString s)
        {
            return false;
        }
        string token = s.Value;
        if (token.Length == 0 || (token.Length > 1 && token[0] == '0') || !token.All(char.IsAsciiDigit))
        {
            return false;
        }
        return int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out index) && index < count;
    }

    private static RegoValue? SetMember(RegoSet set, RegoValue seg)
    {
        if (set.Contains(seg))
        {
            return seg;
        }
        if (seg is RegoString s)
        {
            foreach (var e in set.AsSpan())
            {
                if (e is not RegoString && e.ToString() == s.Value)
                {
                    return e;
                }
            }
        }
        return null;
    }

    private static RegoValue? Step(RegoValue cur, RegoValue seg) => cur switch
    {
        RegoObject o => o.Get(seg),
        RegoArray a => TryIndex(seg, a.Count, out int i) ? a[i] : null,
        RegoSet s => SetMember(s, seg),
        _ => null,
    };

    private static RegoValue? Get(RegoValue doc, List<RegoValue> path)
    {
        RegoValue? cur = doc;
        foreach (var t in path)
        {
            cur = Step(cur, t);
            if (cur is null)
            {
                return null;
            }
        }
        return cur;
    }

    private static RegoValue? Update(RegoValue cur, List<RegoValue> path, int idx, Func<RegoValue, RegoValue, RegoValue?> leaf)
    {
        if (idx == path.Count - 1)
        {
            return leaf(cur, path[idx]);
        }
        var child = Step(cur, path[idx]);
        if (child is null)
        {
            return null;
        }
        var updated = Update(child, path, idx + 1, leaf);
        if (updated is null)
        {
            return null;
        }
        switch (cur)
        {
            case RegoObject o:
                return o.With(path[idx], updated);
            case RegoArray a:
                TryIndex(path[idx], a.Count, out int i);
                var items = a.AsSpan().ToArray();
                items[i] = updated;
                return RegoArray.Create(items);
            case RegoSet s:
                return RegoSet.Create(s.AsSpan().ToArray().Where(e => !e.Equals(child)).Append(updated));
            default:
                return null;
        }
    }

    private static RegoValue? Add(RegoValue doc, List<RegoValue> path, RegoValue value)
    {
        if (path.Count == 0)
        {
            return value;
        }
        return Update(doc, path, 0, (parent, token) =>
        {
            switch (parent)
            {
                case RegoObject o:
                    return o.With(token, value);
                case RegoArray a:
                    int i;
                    if (token is RegoString { Value: "-" })
                    {
                        i = a.Count;
                    }
                    else if (!TryIndex(token, a.Count + 1, out i))
                    {
                        return null;
                    }
                    var list = a.AsSpan().ToArray().ToList();
                    list.Insert(i, value);
                    return RegoArray.Create(list);
                case RegoSet s:
                    bool same = token.Equals(value) || (token is RegoString ts && value is not RegoString && value.ToString() == ts.Value);
                    return same ? s.Union(RegoSet.Create(value)) : null;
                default:
                    return null;
            }
        });
    }

    private static RegoValue? RemoveAt(RegoValue doc, List<RegoValue> path)
    {
        if (path.Count == 0)
        {
            return null;
        }
        return Update(doc, path, 0, (parent, token) =>
        {
            switch (parent)
            {
                case RegoObject o:
                    return o.ContainsKey(token) ? o.Without(token) : null;
                case RegoArray a:
                    if (!TryIndex(token, a.Count, out int i))
                    {
                        return null;
                    }
                    var list = a.AsSpan().ToArray().ToList();
                    list.RemoveAt(i);
                    return RegoArray.Create(list);
                case RegoSet s:
                    var m = SetMember(s, token);
                    return m is null ? null : s.Except(RegoSet.Create(m));
                default:
                    return null;
            }
        });
    }
}

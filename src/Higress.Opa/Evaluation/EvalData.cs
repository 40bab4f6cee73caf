using Higress.Opa.Compilation;
using Higress.Opa.Syntax;
using Higress.Opa.Values;

namespace Higress.Opa.Evaluation;

internal sealed partial class Evaluator
{
    private bool EvalDataRef(RefTerm r, RegoValue?[] s, ValueCont k)
    {
        var node = r.StartNode ?? _root;
        int i = r.StartNode is null ? 0 : r.PathStart;
        if (_dataOverrides is not null)
        {
            // an override at or above the start node replaces everything below it
            for (int d = 0; d <= node.Path.Length; d++)
            {
                if (HasOverrideAt(node.Path, d))
                {
                    var prefix = node.Path[..d];
                    var v = Patch(BaseOrNull(prefix), prefix);
                    for (int j = d; j < node.Path.Length && v is not null; j++)
                    {
                        v = Lookup(v, RegoString.Create(node.Path[j]));
                    }
                    return v is not null && WalkValue(v, r.Path, i, s, k);
                }
            }
        }
        return WalkData(node, r.Path, i, s, k);
    }

    /// <summary>Evaluates a reference whose path terms are all ground, without continuations.</summary>
    private RegoValue? EvalRefGround(RefTerm r, RegoValue?[] s)
    {
        RegoValue? cur;
        int i = 0;
        bool storage = false;
        var path = r.Path;
        switch (r.Head)
        {
            case VarTerm { Kind: VarKind.Data }:
            {
                if (_dataOverrides is not null)
                {
                    return EvalRefViaContinuation(r, s);
                }
                var node = r.StartNode ?? _root;
                i = r.StartNode is null ? 0 : r.PathStart;
                while (true)
                {
                    if (i < path.Length && IsSingleKeyLookup(node))
                    {
                        var k = path[i] is ScalarTerm kt ? kt.Value : EvalGround(path[i], s);
                        if (k is null) return null;
                        cur = LookupRuleKey(node, k);
                        i++;
                        break;
                    }
                    if (node.Rules is not null || node.Functions is not null || i == path.Length)
                    {
                        cur = DataValue(node, 0);
                        break;
                    }
                    var key = path[i] is ScalarTerm st ? st.Value : EvalGround(path[i], s);
                    if (key is null) return null;
                    if (key is RegoString ks && node.Children.TryGetValue(ks.Value, out var child))
                    {
                        if (child.Rules is not null && child.BaseData is { } cbd)
                        {
                            cur = cbd;
                            storage = true;
                            i++;
                            break;
                        }
                        node = child;
                        i++;
                        continue;
                    }
                    if (node.BaseData is null) return null;
                    cur = StorageLookup(node.BaseData, key);
                    storage = true;
                    i++;
                    break;
                }
                break;
            }
            case VarTerm { Kind: VarKind.Input }:
                cur = _input;
                break;
            case VarTerm { Kind: VarKind.Local } lv:
                cur = s[lv.Slot];
                break;
            default:
                cur = EvalGround(r.Head, s);
                break;
        }
        for (; i < path.Length && cur is not null; i++)
        {
            var p = path[i];
            var key = p switch
            {
                ScalarTerm st => st.Value,
                VarTerm { Kind: VarKind.Local } v => s[v.Slot],
                _ => EvalGround(p, s),
            };
            if (key is null) return null;
            cur = storage ? StorageLookup(cur, key) : Lookup(cur, key);
        }
        return cur;
    }

    private RegoValue? EvalRefViaContinuation(RefTerm r, RegoValue?[] s)
    {
        RegoValue? result = null;
        EvalRef(r, s, v =>
        {
            result = v;
            return true;
        });
        return result;
    }

    private RegoValue? BaseOrNull(string[] path)
    {
        RegoValue? v = _root.BaseData;
        foreach (var seg in path)
        {
            if (v is null) return null;
            v = Lookup(v, RegoString.Create(seg));
        }
        return v;
    }

    private bool HasOverrideAt(string[] path, int len)
    {
        foreach (var (p, _) in _dataOverrides!)
        {
            if (p.Length == len && PrefixEquals(p, path, len)) return true;
        }
        return false;
    }

    private static bool PrefixEquals(string[] a, string[] b, int len)
    {
        if (a.Length < len || b.Length < len) return false;
        for (int i = 0; i < len; i++)
        {
            if (!string.Equals(a[i], b[i], StringComparison.Ordinal)) return false;
        }
        return true;
    }

    private bool WalkData(DataNode node, Term[] path, int i, RegoValue?[] s, ValueCont k)
    {
        while (true)
        {
            if (_dataOverrides is not null && node.Path.Length > 0 && HasOverrideAt(node.Path, node.Path.Length))
            {
                var ov = Patch(null, node.Path);
                return ov is not null && WalkValue(ov, path, i, s, k);
            }
            if (i < path.Length && IsSingleKeyLookup(node) && (path[i] is ScalarTerm || IsGround(path[i], s)))
            {
                var wanted = path[i] is ScalarTerm kt ? kt.Value : EvalGround(path[i], s);
                var v = wanted is null ? null : LookupRuleKey(node, wanted);
                return v is not null && WalkValue(v, path, i + 1, s, k);
            }
            if (node.Rules is not null || node.Functions is not null)
            {
                var v = DataValue(node, 0);
                return v is not null && WalkValue(v, path, i, s, k);
            }
            if (i == path.Length)
            {
                var v = DataValue(node, 0);
                return v is not null && k(v);
            }
            var p = path[i];
            RegoValue? key = null;
            if (p is ScalarTerm st) key = st.Value;
            else if (IsGround(p, s))
            {
                key = EvalGround(p, s);
                if (key is null) return false;
            }
            if (key is null)
            {
                var full = DataValue(node, 0);
                return full is not null && WalkValue(full, path, i, s, k);
            }
            if (key is RegoString ks && node.Children.TryGetValue(ks.Value, out var child))
            {
                if (child.Rules is not null && child.BaseData is { } cbd && _dataOverrides is null)
                {
                    return WalkValue(cbd, path, i + 1, s, k, storage: true);
                }
                node = child;
                i++;
                continue;
            }
            var b = _dataOverrides is null ? node.BaseData : Patch(node.BaseData, node.Path);
            if (b is null) return false;
            var next = StorageLookup(b, key);
            return next is not null && WalkValue(next, path, i + 1, s, k, storage: true);
        }
    }

    /// <summary>A ref that names one key of a partial object rule.</summary>
    private bool IsSingleKeyLookup(DataNode node) =>
        node.Rules is { Kind: RuleKind.PartialObject } && node.Functions is null && _dataOverrides is null;

    /// <summary>
    /// One key of the document at a node with a partial object rule, as <see cref="DataValue"/> would give it but
    /// evaluating only that key (OPA: a conflict on another key goes unnoticed): the rule's entries for the key, merged
    /// with the child rules of that name, else the base data.
    /// </summary>
    private RegoValue? LookupRuleKey(DataNode node, RegoValue key)
    {
        var rules = node.Rules!;
        var fromRule = EvalPartialObjectKey(rules, key);
        RegoValue? fromChild = null;
        if (key is RegoString ks && node.Children.TryGetValue(ks.Value, out var child) && !(child.Functions is not null && child.Rules is null && child.Children.Count == 0))
        {
            fromChild = child.Rules is not null && child.BaseData is { } cbd ? cbd : DataValue(child, 0);
        }
        if (fromRule is null)
        {
            return fromChild ?? (node.BaseData is null ? null : StorageLookup(node.BaseData, key));
        }
        if (fromChild is null)
        {
            return fromRule;
        }
        int depth = rules.Defs.Count > 0 ? rules.Defs.Min(d => d.Suffix.Length) - 1 : int.MaxValue;
        return MergeVirtual(fromRule, fromChild, node, depth);
    }

    /// <summary>The value of the document at a tree node: base data merged with the values of rules at and below it.</summary>
    private RegoValue? DataValue(DataNode node, int unused)
    {
        _ = unused;
        if (node.Functions is not null && node.Rules is null && node.Children.Count == 0)
        {
            return null;
        }
        if (node.Rules is not null && node.Children.Count == 0)
        {
            var rv = EvalRuleSet(node.Rules);
            return _dataOverrides is null ? rv : Patch(rv, node.Path);
        }
        if (!node.HasRules)
        {
            return _dataOverrides is null ? node.BaseData : Patch(node.BaseData, node.Path);
        }
        if (_memo.TryGetValue(node, out var memo))
        {
            return memo;
        }
        var keys = new List<RegoValue>();
        var vals = new List<RegoValue>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        if (node.Rules is not null && EvalRuleSet(node.Rules) is RegoObject ro)
        {
            AddAll(ro, keys, vals, seen);
        }
        foreach (var (name, child) in node.Children)
        {
            if (child.Functions is not null && child.Rules is null && child.Children.Count == 0) continue;
            var cv = child.Rules is not null && child.BaseData is { } cbd ? cbd : DataValue(child, 0);
            if (cv is null) continue;
            if (seen.Add(name))
            {
                keys.Add(RegoString.Create(name));
                vals.Add(cv);
            }
            else
            {
                int idx = keys.FindIndex(x => x is RegoString xs && xs.Value == name);
                int depth = node.Rules is { Defs.Count: > 0 } rr ? rr.Defs.Min(d => d.Suffix.Length) - 1 : int.MaxValue;
                vals[idx] = MergeVirtual(vals[idx], cv, node, depth);
            }
        }
        if (node.BaseData is RegoObject bo)
        {
            var bk = bo.Keys;
            var bv = bo.Values;
            for (int j = 0; j < bk.Length; j++)
            {
                if (bk[j] is RegoString bs && seen.Contains(bs.Value)) continue;
                keys.Add(bk[j]);
                vals.Add(bv[j]);
            }
        }
        RegoValue result = RegoObject.FromUnsorted(keys.ToArray(), vals.ToArray(), keys.Count);
        if (_dataOverrides is not null) result = Patch(result, node.Path)!;
        _memo[node] = result;
        return result;
    }

    /// <summary>Merges a rule-produced object with the value of a child node; <paramref name="depth"/> levels below, the rule's values are leaves that cannot be merged into.</summary>
    private static RegoValue MergeVirtual(RegoValue a, RegoValue b, DataNode node, int depth)
    {
        if (depth > 0 && a is RegoObject oa && b is RegoObject ob)
        {
            var result = oa;
            foreach (var (k, v) in ob)
            {
                result = result.TryGetValue(k, out var existing) ? result.With(k, MergeVirtual(existing, v, node, depth - 1)) : result.With(k, v);
            }
            return result;
        }
        if (a is RegoSet sa && b is RegoSet sb)
        {
            return sa.Union(sb);
        }
        if (a.Equals(b))
        {
            return a;
        }
        throw Conflict("object keys must be unique", node.Rules?.Defs.FirstOrDefault()?.Loc);
    }

    private static void AddAll(RegoObject o, List<RegoValue> keys, List<RegoValue> vals, HashSet<string> seen)
    {
        var ok = o.Keys;
        var ov = o.Values;
        for (int j = 0; j < ok.Length; j++)
        {
            keys.Add(ok[j]);
            vals.Add(ov[j]);
            if (ok[j] is RegoString s) seen.Add(s.Value);
        }
    }

    /// <summary>Applies the active <c>with data...</c> overrides at or below <paramref name="basePath"/> to a value.</summary>
    private RegoValue? Patch(RegoValue? v, string[] basePath)
    {
        if (_dataOverrides is null) return v;
        foreach (var (p, value) in _dataOverrides)
        {
            if (p.Length < basePath.Length || !PrefixEquals(p, basePath, basePath.Length)) continue;
            v = Upsert(v, p, basePath.Length, value);
        }
        return v;
    }

    internal static RegoValue Upsert(RegoValue? target, string[] path, int from, RegoValue value)
    {
        if (from == path.Length) return value;
        var obj = target as RegoObject ?? RegoObject.Empty;
        var key = RegoString.Create(path[from]);
        obj.TryGetValue(key, out var child);
        return obj.With(key, Upsert(obj.ContainsKey(key) ? child : null, path, from + 1, value));
    }

    internal static RegoValue UpsertValue(RegoValue? target, string[] path, RegoValue value) => Upsert(target, path, 0, value);
}

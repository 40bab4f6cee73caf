using System.Globalization;
using System.Numerics;
using System.Text;
using Higress.Opa.Values;
using static Higress.Opa.Builtins.Library.LibraryHelpers;

namespace Higress.Opa.Builtins.Library;

internal static class StringBuiltins
{
    public static void Register(BuiltinRegistry r)
    {
        r.Register2("format_int", (a, b, _) => FormatInt(a, b));
        r.Register2("concat", (a, b, _) => Str(string.Join(Operand.AsString(a, 1), StringsOf(b, 2))));
        r.Register2("indexof", (a, b, _) =>
        {
            string s = Operand.AsString(a, 1), sub = Operand.AsString(b, 2);
            int i = s.IndexOf(sub, StringComparison.Ordinal);
            return Int(i < 0 ? -1 : RuneIndex(s, i));
        });
        r.Register2("indexof_n", (a, b, _) =>
        {
            string s = Operand.AsString(a, 1), sub = Operand.AsString(b, 2);
            var list = new List<RegoValue>();
            int i = 0;
            while (i <= s.Length)
            {
                int j = s.IndexOf(sub, i, StringComparison.Ordinal);
                if (j < 0)
                {
                    break;
                }
                list.Add(Int(RuneIndex(s, j)));
                i = j + (j < s.Length && char.IsHighSurrogate(s[j]) ? 2 : 1);
            }
            return RegoArray.Create(list);
        });
        r.Register3("substring", (a, b, c, _) => Substring(Operand.AsString(a, 1), Operand.AsInt32(b, 2), Operand.AsInt32(c, 3)));
        r.Register2("contains", (a, b, _) => RegoValue.Boolean(Operand.AsString(a, 1).Contains(Operand.AsString(b, 2), StringComparison.Ordinal)));
        r.Register2("startswith", (a, b, _) => RegoValue.Boolean(Operand.AsString(a, 1).StartsWith(Operand.AsString(b, 2), StringComparison.Ordinal)));
        r.Register2("endswith", (a, b, _) => RegoValue.Boolean(Operand.AsString(a, 1).EndsWith(Operand.AsString(b, 2), StringComparison.Ordinal)));
        r.Register1("lower", (a, _) => Str(Operand.AsString(a, 1).ToLowerInvariant()));
        r.Register1("upper", (a, _) => Str(Operand.AsString(a, 1).ToUpperInvariant()));
        r.Register2("split", (a, b, _) => ArrayOf(Split(Operand.AsString(a, 1), Operand.AsString(b, 2), -1)));
        r.Register3("replace", (a, b, c, _) => Str(Replace(Operand.AsString(a, 1), Operand.AsString(b, 2), Operand.AsString(c, 3))));
        r.Register2("strings.replace_n", (a, b, _) => ReplaceN(a, b));
        r.Register2("trim", (a, b, _) => Str(TrimLeft(TrimRight(Operand.AsString(a, 1), Operand.AsString(b, 2)), Operand.AsString(b, 2))));
        r.Register2("trim_left", (a, b, _) => Str(TrimLeft(Operand.AsString(a, 1), Operand.AsString(b, 2))));
        r.Register2("trim_right", (a, b, _) => Str(TrimRight(Operand.AsString(a, 1), Operand.AsString(b, 2))));
        r.Register2("trim_prefix", (a, b, _) =>
        {
            string s = Operand.AsString(a, 1), p = Operand.AsString(b, 2);
            return Str(s.StartsWith(p, StringComparison.Ordinal) ? s[p.Length..] : s);
        });
        r.Register2("trim_suffix", (a, b, _) =>
        {
            string s = Operand.AsString(a, 1), p = Operand.AsString(b, 2);
            return Str(s.EndsWith(p, StringComparison.Ordinal) ? s[..^p.Length] : s);
        });
        r.Register1("trim_space", (a, _) => Str(TrimSpace(Operand.AsString(a, 1))));
        r.Register1("strings.reverse", (a, _) =>
        {
            var runes = Runes(Operand.AsString(a, 1));
            Array.Reverse(runes);
            return Str(FromRunes(runes));
        });
        r.Register2("strings.any_prefix_match", (a, b, _) => AnyMatch(a, b, (s, p) => s.StartsWith(p, StringComparison.Ordinal)));
        r.Register2("strings.any_suffix_match", (a, b, _) => AnyMatch(a, b, (s, p) => s.EndsWith(p, StringComparison.Ordinal)));
        r.Register2("strings.count", (a, b, _) =>
        {
            string s = Operand.AsString(a, 1), sub = Operand.AsString(b, 2);
            if (sub.Length == 0)
            {
                return Int(RuneCount(s) + 1);
            }
            int n = 0, i = 0;
            while ((i = s.IndexOf(sub, i, StringComparison.Ordinal)) >= 0)
            {
                n++;
                i += sub.Length;
            }
            return Int(n);
        });
    }

    private static RegoString FormatInt(RegoValue a, RegoValue b)
    {
        var n = Operand.AsNumber(a, 1);
        var baseNum = Operand.AsNumber(b, 2);
        if (!baseNum.TryGetInt32(out int radix) || !baseNum.IsInteger || radix is not (2 or 8 or 10 or 16))
        {
            throw BuiltinException.TypeError("operand 2 must be one of {2, 8, 10, 16}");
        }
        BigInteger v;
        if (n.IsInteger && n.TryGetBigInteger(out var bi))
        {
            v = bi;
        }
        else
        {
            v = new BigInteger(Math.Truncate(n.ToDouble()));
        }
        return Str(FormatBig(v, radix));
    }

    internal static string FormatBig(BigInteger v, int radix)
    {
        if (radix == 10)
        {
            return v.ToString(CultureInfo.InvariantCulture);
        }
        bool neg = v.Sign < 0;
        var x = BigInteger.Abs(v);
        if (x.IsZero)
        {
            return "0";
        }
        var sb = new StringBuilder();
        while (!x.IsZero)
        {
            int d = (int)(x % radix);
            sb.Insert(0, "0123456789abcdef"[d]);
            x /= radix;
        }
        if (neg)
        {
            sb.Insert(0, '-');
        }
        return sb.ToString();
    }

    private static RegoString Substring(string s, int offset, int length)
    {
        if (offset < 0)
        {
            throw BuiltinException.Error("negative offset");
        }
        var runes = Runes(s);
        if (offset >= runes.Length)
        {
            return RegoString.Empty;
        }
        int end = length < 0 || (long)offset + length > runes.Length ? runes.Length : offset + length;
        return Str(FromRunes(runes.AsSpan(offset, end - offset)));
    }

    internal static List<string> Split(string s, string sep, int n)
    {
        var parts = new List<string>();
        if (sep.Length == 0)
        {
            var runes = Runes(s);
            foreach (int ru in runes)
            {
                parts.Add(char.ConvertFromUtf32(ru));
            }
            return parts;
        }
        int start = 0;
        while (n < 0 || parts.Count < n - 1)
        {
            int i = s.IndexOf(sep, start, StringComparison.Ordinal);
            if (i < 0)
            {
                break;
            }
            parts.Add(s[start..i]);
            start = i + sep.Length;
        }
        parts.Add(s[start..]);
        return parts;
    }

    internal static string Replace(string s, string old, string replacement)
    {
        if (old.Length == 0)
        {
            var sb = new StringBuilder();
            sb.Append(replacement);
            foreach (int ru in Runes(s))
            {
                sb.Append(char.ConvertFromUtf32(ru)).Append(replacement);
            }
            return sb.ToString();
        }
        return s.Replace(old, replacement, StringComparison.Ordinal);
    }

    private static RegoString ReplaceN(RegoValue a, RegoValue b)
    {
        var patterns = Operand.AsObject(a, 1);
        string s = Operand.AsString(b, 2);
        var pairs = new List<(string Old, string New)>();
        foreach (var kv in patterns)
        {
            if (kv.Key is not RegoString k)
            {
                throw BuiltinException.TypeError("operand 1 non-string key found in pattern object");
            }
            if (kv.Value is not RegoString v)
            {
                throw BuiltinException.TypeError("operand 1 non-string value found in pattern object");
            }
            pairs.Add((k.Value, v.Value));
        }
        var sb = new StringBuilder();
        int i = 0;
        while (i < s.Length)
        {
            bool matched = false;
            foreach (var (old, rep) in pairs)
            {
                if (old.Length > 0 && string.CompareOrdinal(s, i, old, 0, old.Length) == 0)
                {
                    sb.Append(rep);
                    i += old.Length;
                    matched = true;
                    break;
                }
            }
            if (!matched)
            {
                sb.Append(s[i]);
                i++;
            }
        }
        return Str(sb.ToString());
    }

    internal static string TrimLeft(string s, string cutset)
    {
        var set = Runes(cutset);
        int i = 0;
        while (i < s.Length)
        {
            int ru = char.IsHighSurrogate(s[i]) && i + 1 < s.Length ? char.ConvertToUtf32(s[i], s[i + 1]) : s[i];
            if (Array.IndexOf(set, ru) < 0)
            {
                break;
            }
            i += ru > 0xFFFF ? 2 : 1;
        }
        return s[i..];
    }

    internal static string TrimRight(string s, string cutset)
    {
        var set = Runes(cutset);
        int end = s.Length;
        while (end > 0)
        {
            int ru, w;
            if (char.IsLowSurrogate(s[end - 1]) && end >= 2 && char.IsHighSurrogate(s[end - 2]))
            {
                ru = char.ConvertToUtf32(s[end - 2], s[end - 1]);
                w = 2;
            }
            else
            {
                ru = s[end - 1];
                w = 1;
            }
            if (Array.IndexOf(set, ru) < 0)
            {
                break;
            }
            end -= w;
        }
        return s[..end];
    }

    internal static string TrimSpace(string s)
    {
        int start = 0, end = s.Length;
        while (start < end && IsGoSpace(s[start]))
        {
            start++;
        }
        while (end > start && IsGoSpace(s[end - 1]))
        {
            end--;
        }
        return s[start..end];
    }

    private static bool IsGoSpace(char c) => c is '\t' or '\n' or '\v' or '\f' or '\r' or ' ' or '\u0085' or '\u00A0' || (c > 0xFF && char.IsWhiteSpace(c));

    private static RegoBoolean AnyMatch(RegoValue a, RegoValue b, Func<string, string, bool> match)
    {
        var search = MatchOperand(a, 1);
        var bases = MatchOperand(b, 2);
        foreach (var s in search)
        {
            foreach (var p in bases)
            {
                if (match(s, p))
                {
                    return RegoBoolean.True;
                }
            }
        }
        return RegoBoolean.False;
    }

    private static List<string> MatchOperand(RegoValue v, int pos)
    {
        if (v is RegoString s)
        {
            return [s.Value];
        }
        if (v is not (RegoArray or RegoSet))
        {
            throw BuiltinException.TypeError($"operand {pos} must be one of {{string, set, array}} but got {v.TypeName}");
        }
        var list = new List<string>();
        foreach (var e in Operand.AsArrayOrSet(v, pos))
        {
            if (e is not RegoString es)
            {
                throw BuiltinException.TypeError($"operand {pos} must be {v.TypeName} of strings but got {v.TypeName} containing {e.TypeName}");
            }
            list.Add(es.Value);
        }
        return list;
    }
}

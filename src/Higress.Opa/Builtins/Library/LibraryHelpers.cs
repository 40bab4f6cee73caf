using System.Globalization;
using System.Numerics;
using System.Text;
using Higress.Opa.Values;

namespace Higress.Opa.Builtins.Library;

internal static class LibraryHelpers
{
    public static RegoString Str(string s) => RegoString.Create(s);

    public static RegoNumber Int(long n) => RegoNumber.FromInt64(n);

    public static BigInteger AsBigInteger(RegoValue v, int pos)
    {
        var n = Operand.AsNumber(v, pos);
        if (!n.IsInteger || !n.TryGetBigInteger(out var b))
        {
            throw BuiltinException.TypeError($"operand {pos} must be integer number but got floating-point number");
        }
        return b;
    }

    public static long AsInt64(RegoValue v, int pos)
    {
        var b = AsBigInteger(v, pos);
        if (b < long.MinValue || b > long.MaxValue)
        {
            throw BuiltinException.Error($"operand {pos} is out of range");
        }
        return (long)b;
    }

    /// <summary>Number of Unicode code points (Go runes) in a string.</summary>
    public static int RuneCount(string s)
    {
        int n = 0;
        for (int i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                i++;
            }
            n++;
        }
        return n;
    }

    /// <summary>Code points of a string (as ints).</summary>
    public static int[] Runes(string s)
    {
        var list = new List<int>(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                list.Add(char.ConvertToUtf32(s[i], s[i + 1]));
                i++;
            }
            else
            {
                list.Add(s[i]);
            }
        }
        return [.. list];
    }

    public static string FromRunes(ReadOnlySpan<int> runes)
    {
        var sb = new StringBuilder(runes.Length);
        foreach (int r in runes)
        {
            if (r > 0xFFFF)
            {
                sb.Append(char.ConvertFromUtf32(r));
            }
            else
            {
                sb.Append((char)r);
            }
        }
        return sb.ToString();
    }

    /// <summary>Index (in code points) of a UTF-16 index.</summary>
    public static int RuneIndex(string s, int utf16Index)
    {
        int n = 0;
        for (int i = 0; i < utf16Index && i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                i++;
            }
            n++;
        }
        return n;
    }

    public static string Inv(long n) => n.ToString(CultureInfo.InvariantCulture);

    /// <summary>Elements of an array or set of strings; error text like OPA's for element types.</summary>
    public static List<string> StringsOf(RegoValue v, int pos)
    {
        var list = new List<string>();
        foreach (var e in Operand.AsArrayOrSet(v, pos))
        {
            if (e is not RegoString s)
            {
                throw BuiltinException.TypeError($"operand {pos} must be array of strings but got array containing {e.TypeName}");
            }
            list.Add(s.Value);
        }
        return list;
    }

    public static RegoArray ArrayOf(IEnumerable<string> items) => RegoArray.Create(items.Select(s => (RegoValue)RegoString.Create(s)));

    public static RegoArray ArrayOf(List<string> items)
    {
        var values = new RegoValue[items.Count];
        for (int i = 0; i < values.Length; i++) values[i] = RegoString.Create(items[i]);
        return RegoArray.Wrap(values);
    }

    public static RegoSet SetOf(IEnumerable<string> items) => RegoSet.Create(items.Select(s => (RegoValue)RegoString.Create(s)));
}

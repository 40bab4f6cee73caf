using System.Globalization;
using System.Numerics;
using Higress.Opa.Values;

namespace Higress.Opa.Builtins.Library;

internal static class UnitsBuiltins
{
    private static readonly BigInteger K = 1000, Ki = 1024;

    private static readonly Dictionary<string, (BigInteger Num, BigInteger Den)> UnitMultipliers = new(StringComparer.Ordinal)
    {
        [""] = (1, 1),
        ["m"] = (1, 1000),
        ["k"] = (K, 1), ["K"] = (K, 1), ["ki"] = (Ki, 1), ["Ki"] = (Ki, 1),
        ["M"] = (BigInteger.Pow(K, 2), 1), ["mi"] = (BigInteger.Pow(Ki, 2), 1), ["Mi"] = (BigInteger.Pow(Ki, 2), 1),
        ["g"] = (BigInteger.Pow(K, 3), 1), ["G"] = (BigInteger.Pow(K, 3), 1), ["gi"] = (BigInteger.Pow(Ki, 3), 1), ["Gi"] = (BigInteger.Pow(Ki, 3), 1),
        ["t"] = (BigInteger.Pow(K, 4), 1), ["T"] = (BigInteger.Pow(K, 4), 1), ["ti"] = (BigInteger.Pow(Ki, 4), 1), ["Ti"] = (BigInteger.Pow(Ki, 4), 1),
        ["p"] = (BigInteger.Pow(K, 5), 1), ["P"] = (BigInteger.Pow(K, 5), 1), ["pi"] = (BigInteger.Pow(Ki, 5), 1), ["Pi"] = (BigInteger.Pow(Ki, 5), 1),
        ["e"] = (BigInteger.Pow(K, 6), 1), ["E"] = (BigInteger.Pow(K, 6), 1), ["ei"] = (BigInteger.Pow(Ki, 6), 1), ["Ei"] = (BigInteger.Pow(Ki, 6), 1),
    };

    private static readonly Dictionary<string, BigInteger> ByteMultipliers = CreateByteMultipliers();

    private static Dictionary<string, BigInteger> CreateByteMultipliers()
    {
        var d = new Dictionary<string, BigInteger>(StringComparer.Ordinal) { [""] = 1, ["b"] = 1 };
        string prefixes = "kmgtpe";
        for (int i = 0; i < prefixes.Length; i++)
        {
            string p = prefixes[i].ToString();
            d[p] = d[p + "b"] = BigInteger.Pow(K, i + 1);
            d[p + "i"] = d[p + "ib"] = BigInteger.Pow(Ki, i + 1);
        }
        return d;
    }

    public static void Register(BuiltinRegistry r)
    {
        r.Register1("units.parse", (a, _) =>
        {
            string s = Operand.AsString(a, 1).Replace("\"", "", StringComparison.Ordinal);
            if (s.Contains(' ', StringComparison.Ordinal))
            {
                throw BuiltinException.Error("spaces not allowed in resource strings");
            }
            var (num, suffix) = Extract(s);
            if (num.Length == 0)
            {
                throw BuiltinException.Error("no amount provided");
            }
            if (suffix.Length > 1)
            {
                suffix = suffix[..1] + suffix[1..].ToLowerInvariant();
            }
            if (!UnitMultipliers.TryGetValue(suffix, out var mult))
            {
                throw BuiltinException.Error($"unit {suffix} not recognized");
            }
            if (!TryRational(num, out var n, out var d))
            {
                throw BuiltinException.Error("could not parse amount to a number");
            }
            n *= mult.Num;
            d *= mult.Den;
            if (BigInteger.Remainder(n, d).IsZero)
            {
                return RegoNumber.FromBigInteger(n / d);
            }
            return RegoNumber.FromDouble(RatioToDouble(n, d));
        });
        r.Register1("units.parse_bytes", (a, _) =>
        {
            string s = Operand.AsString(a, 1).Replace("\"", "", StringComparison.Ordinal).ToLowerInvariant();
            if (s.Contains(' ', StringComparison.Ordinal))
            {
                throw BuiltinException.Error("spaces not allowed in resource strings");
            }
            var (num, suffix) = Extract(s);
            if (num.Length == 0)
            {
                throw BuiltinException.Error("no byte amount provided");
            }
            if (!ByteMultipliers.TryGetValue(suffix, out var mult))
            {
                throw BuiltinException.Error($"byte unit {suffix} not recognized");
            }
            if (!TryRational(num, out var n, out var d))
            {
                throw BuiltinException.Error("could not parse byte amount to a number");
            }
            return RegoNumber.FromBigInteger(BigInteger.Divide(n * mult, d));
        });
    }

    private static (string Num, string Suffix) Extract(string s)
    {
        int i = 0;
        if (i < s.Length && s[i] is '-' or '+')
        {
            i++;
        }
        while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.'))
        {
            i++;
        }
        if (i < s.Length && s[i] is 'e' or 'E')
        {
            int j = i + 1;
            if (j < s.Length && s[j] is '-' or '+')
            {
                j++;
            }
            if (j < s.Length && char.IsAsciiDigit(s[j]))
            {
                while (j < s.Length && char.IsAsciiDigit(s[j]))
                {
                    j++;
                }
                i = j;
            }
        }
        string num = s[..i];
        if (num is "-" or "+")
        {
            return ("", s);
        }
        return (num, s[i..]);
    }

    private static bool TryRational(string s, out BigInteger num, out BigInteger den)
    {
        num = 0;
        den = 1;
        int e = 0;
        int ei = s.IndexOfAny(['e', 'E']);
        string mant = s;
        if (ei >= 0)
        {
            if (!int.TryParse(s.AsSpan(ei + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out e) || Math.Abs(e) > 10000)
            {
                return false;
            }
            mant = s[..ei];
        }
        bool neg = false;
        if (mant.Length > 0 && mant[0] is '-' or '+')
        {
            neg = mant[0] == '-';
            mant = mant[1..];
        }
        int dot = mant.IndexOf('.', StringComparison.Ordinal);
        if (dot >= 0 && mant.IndexOf('.', dot + 1) >= 0)
        {
            return false;
        }
        string digits = dot < 0 ? mant : mant.Remove(dot, 1);
        if (digits.Length == 0 || !digits.All(char.IsAsciiDigit))
        {
            return false;
        }
        num = BigInteger.Parse(digits, CultureInfo.InvariantCulture);
        int frac = dot < 0 ? 0 : mant.Length - dot - 1;
        int scale = e - frac;
        if (scale >= 0)
        {
            num *= BigInteger.Pow(10, scale);
        }
        else
        {
            den = BigInteger.Pow(10, -scale);
        }
        if (neg)
        {
            num = -num;
        }
        return true;
    }

    private static double RatioToDouble(BigInteger n, BigInteger d)
    {
        var g = BigInteger.GreatestCommonDivisor(n, d);
        n /= g;
        d /= g;
        return double.Parse(DivideToText(n, d), CultureInfo.InvariantCulture);
    }

    private static string DivideToText(BigInteger n, BigInteger d)
    {
        // 40 significant decimal digits are enough for a correctly rounded double in practice.
        var scaled = BigInteger.Divide(n * BigInteger.Pow(10, 40), d);
        string s = BigInteger.Abs(scaled).ToString(CultureInfo.InvariantCulture);
        return (scaled.Sign < 0 ? "-" : "") + s + "e-40";
    }
}

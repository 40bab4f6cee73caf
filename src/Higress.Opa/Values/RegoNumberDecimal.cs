using System.Globalization;
using System.Numerics;

namespace Higress.Opa.Values;

/// <content>Exact decimal parsing and comparison, for literals a double cannot hold (OPA keeps them exact).</content>
public sealed partial class RegoNumber
{
    /// <summary>Parses decimal text exactly into unscaled * 10^exp, normalized (no trailing zeros in unscaled).</summary>
    private static bool TryParseDecimal(string text, out BigInteger unscaled, out int exp)
    {
        unscaled = BigInteger.Zero;
        exp = 0;
        int i = 0;
        bool neg = false;
        if (i < text.Length && (text[i] == '-' || text[i] == '+'))
        {
            neg = text[i] == '-';
            i++;
        }
        var digits = new System.Text.StringBuilder();
        int fracDigits = 0;
        bool seenDot = false, any = false;
        for (; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsAsciiDigit(c))
            {
                digits.Append(c);
                any = true;
                if (seenDot) fracDigits++;
            }
            else if (c == '.' && !seenDot)
            {
                seenDot = true;
            }
            else
            {
                break;
            }
        }
        if (!any) return false;
        int e = 0;
        if (i < text.Length)
        {
            if (text[i] is not ('e' or 'E')) return false;
            if (!int.TryParse(text.AsSpan(i + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out e)) return false;
        }
        unscaled = BigInteger.Parse(digits.ToString(), CultureInfo.InvariantCulture);
        exp = e - fracDigits;
        if (unscaled.IsZero)
        {
            exp = 0;
            return true;
        }
        while (unscaled % 10 == 0)
        {
            unscaled /= 10;
            exp++;
        }
        if (neg) unscaled = -unscaled;
        return true;
    }

    private void ToDecimalParts(out BigInteger u, out int e)
    {
        switch (_rep)
        {
            case Rep.Int: u = _long; e = 0; return;
            case Rep.Big: u = _big; e = 0; return;
            case Rep.Dec: u = _big; e = _exp; return;
            default:
                TryParseDecimal(_double.ToString("R", CultureInfo.InvariantCulture), out u, out e);
                return;
        }
    }

    private static int CompareDecimal(RegoNumber a, RegoNumber b)
    {
        a.ToDecimalParts(out var ua, out int ea);
        b.ToDecimalParts(out var ub, out int eb);
        if (ua.Sign != ub.Sign) return ua.Sign.CompareTo(ub.Sign);
        if (ea > eb) ua *= BigInteger.Pow(10, ea - eb);
        else if (eb > ea) ub *= BigInteger.Pow(10, eb - ea);
        return ua.CompareTo(ub);
    }

}

using System.Globalization;
using System.Text;

namespace Higress.Opa.Builtins.Library;

/// <summary>Go's strconv.FormatFloat with 'g', 'f' and 'e', for sprintf's float64 operands.</summary>
internal static class GoFloatFormat
{
    /// <summary>Go's strconv.FormatFloat for a non-negative finite value with 'g', 'f' or 'e' (prec -1 = shortest).</summary>
    public static string Format(double d, char fmt, int prec)
    {
        if (fmt == 'f')
        {
            return d.ToString("F" + prec.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        }
        string digs;
        int dp;
        if (prec < 0)
        {
            (digs, dp) = ShortestDigits(d);
        }
        else
        {
            int p = fmt == 'g' ? Math.Max(prec, 1) : prec + 1;
            (digs, dp) = RoundedDigits(d, p);
        }
        if (fmt == 'e')
        {
            return FmtE(digs, dp, prec < 0 ? digs.Length - 1 : prec);
        }
        bool shortest = prec < 0;
        int pr = shortest ? digs.Length : (prec == 0 ? 1 : prec);
        int eprec = pr;
        if (eprec > digs.Length && digs.Length >= dp)
        {
            eprec = digs.Length;
        }
        if (shortest)
        {
            eprec = 6;
        }
        int exp = dp - 1;
        if (exp < -4 || exp >= eprec)
        {
            if (pr > digs.Length)
            {
                pr = digs.Length;
            }
            return FmtE(digs, dp, pr - 1);
        }
        if (pr > dp)
        {
            pr = digs.Length;
        }
        return FmtF(digs, dp, Math.Max(pr - dp, 0));
    }

    private static (string Digits, int Dp) ShortestDigits(double d)
    {
        if (d == 0)
        {
            return ("0", 1);
        }
        string s = d.ToString("R", CultureInfo.InvariantCulture);
        return Normalize(s);
    }

    private static (string Digits, int Dp) RoundedDigits(double d, int p)
    {
        if (d == 0)
        {
            return ("0", 1);
        }
        string s = d.ToString("E" + (p - 1).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return Normalize(s);
    }

    private static (string Digits, int Dp) Normalize(string s)
    {
        int e = 0;
        int ei = s.IndexOfAny(['E', 'e']);
        string m = s;
        if (ei >= 0)
        {
            e = int.Parse(s.AsSpan(ei + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            m = s[..ei];
        }
        int dot = m.IndexOf('.', StringComparison.Ordinal);
        string digits = dot < 0 ? m : m.Remove(dot, 1);
        int dp = (dot < 0 ? m.Length : dot) + e;
        int lead = 0;
        while (lead < digits.Length - 1 && digits[lead] == '0')
        {
            lead++;
        }
        digits = digits[lead..];
        dp -= lead;
        digits = digits.TrimEnd('0');
        if (digits.Length == 0)
        {
            return ("0", 1);
        }
        return (digits, dp);
    }

    private static string FmtE(string digs, int dp, int prec)
    {
        var sb = new StringBuilder();
        sb.Append(digs[0]);
        if (prec > 0)
        {
            sb.Append('.');
            for (int i = 1; i <= prec; i++)
            {
                sb.Append(i < digs.Length ? digs[i] : '0');
            }
        }
        int exp = digs == "0" ? 0 : dp - 1;
        sb.Append('e').Append(exp < 0 ? '-' : '+');
        exp = Math.Abs(exp);
        if (exp < 10)
        {
            sb.Append('0');
        }
        sb.Append(exp.ToString(CultureInfo.InvariantCulture));
        return sb.ToString();
    }

    private static string FmtF(string digs, int dp, int prec)
    {
        var sb = new StringBuilder();
        if (dp > 0)
        {
            for (int i = 0; i < dp; i++)
            {
                sb.Append(i < digs.Length ? digs[i] : '0');
            }
        }
        else
        {
            sb.Append('0');
        }
        if (prec > 0)
        {
            sb.Append('.');
            for (int i = 0; i < prec; i++)
            {
                int j = dp + i;
                sb.Append(j >= 0 && j < digs.Length ? digs[j] : '0');
            }
        }
        return sb.ToString();
    }
}

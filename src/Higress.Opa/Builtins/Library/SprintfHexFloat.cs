using System.Globalization;
using System.Text;

namespace Higress.Opa.Builtins.Library;

/// <summary>Go's strconv 'x' float format (<c>%x</c> of a float64): <c>0x1.8p+00</c> for 1.5.</summary>
internal static class SprintfHexFloat
{
    private const int MantBits = 52;

    /// <summary>Formats a non-negative finite double; <paramref name="prec"/> is the number of hex digits after the point (-1: as many as needed).</summary>
    public static string Format(double d, int prec, bool upper)
    {
        long bits = BitConverter.DoubleToInt64Bits(d) & long.MaxValue;
        int exp = (int)(bits >> MantBits);
        ulong mant = (ulong)bits & ((1UL << MantBits) - 1);
        if (exp == 0)
        {
            exp++;
        }
        else
        {
            mant |= 1UL << MantBits;
        }
        exp -= 1023;
        if (mant == 0)
        {
            exp = 0;
        }
        // leading 1 (if any) at bit 60
        mant <<= 60 - MantBits;
        while (mant != 0 && (mant & (1UL << 60)) == 0)
        {
            mant <<= 1;
            exp--;
        }
        if (prec is >= 0 and < 15)
        {
            int shift = prec * 4;
            ulong extra = (mant << shift) & ((1UL << 60) - 1);
            mant >>= 60 - shift;
            if ((extra | (mant & 1)) > 1UL << 59)
            {
                mant++;
            }
            mant <<= 60 - shift;
            if ((mant & (1UL << 61)) != 0)
            {
                mant >>= 1;
                exp++;
            }
        }
        string hex = upper ? "0123456789ABCDEF" : "0123456789abcdef";
        var sb = new StringBuilder();
        sb.Append('0').Append(upper ? 'X' : 'x').Append((char)('0' + (int)((mant >> 60) & 1)));
        mant <<= 4;
        if (prec < 0 && mant != 0)
        {
            sb.Append('.');
            while (mant != 0)
            {
                sb.Append(hex[(int)((mant >> 60) & 15)]);
                mant <<= 4;
            }
        }
        else if (prec > 0)
        {
            sb.Append('.');
            for (int i = 0; i < prec; i++)
            {
                sb.Append(hex[(int)((mant >> 60) & 15)]);
                mant <<= 4;
            }
        }
        sb.Append(upper ? 'P' : 'p').Append(exp < 0 ? '-' : '+');
        exp = Math.Abs(exp);
        sb.Append(exp < 10 ? "0" : "").Append(exp.ToString(CultureInfo.InvariantCulture));
        return sb.ToString();
    }
}

using System.Globalization;
using System.Numerics;
using System.Text;

namespace Higress.Opa.Values;

/// <summary>
/// A binary floating-point number with a 64-bit mantissa, rounded to nearest even: the arithmetic OPA does on numbers
/// that are not integers (Go's <c>big.Float</c> at its default precision of 64). Operands are read from their decimal
/// text and results are printed as the shortest decimal text that reads back to the same value, as Go's
/// <c>Float.Text('g', -1)</c> (<c>'f'</c> for integral results) does, so that OPA's answers are reproduced digit for digit.
/// </summary>
/// <remarks>
/// Exact intermediate values are computed with <see cref="BigInteger"/> and rounded once; only non-integer arithmetic
/// comes here, integers stay on the exact integer path of <see cref="RegoNumber"/>.
/// </remarks>
internal readonly struct RegoNumberFloat
{
    /// <summary>Mantissa bits, as Go's big.Float default precision.</summary>
    public const int Precision = 64;

    // Division and decimal parsing produce at least this many quotient bits, so that the bits below the mantissa
    // hold the rounding bit and a guard bit, and the remainder only has to say "more than zero" (sticky).
    private const int QuotientBits = Precision + 3;

    private readonly ulong _mant; // 0 for zero; otherwise normalized (top bit set)
    private readonly int _exp; // value = _mant * 2^_exp
    private readonly bool _neg;

    private RegoNumberFloat(ulong mant, int exp, bool neg)
    {
        _mant = mant;
        _exp = exp;
        _neg = neg;
    }

    /// <summary>True for +0 and -0.</summary>
    public bool IsZero => _mant == 0;

    /// <summary>True for negative numbers and -0.</summary>
    public bool IsNegative => _neg;

    /// <summary>True when the value has no fraction.</summary>
    public bool IsInteger => _mant == 0 || _exp >= 0 || (_exp > -Precision && (_mant & ((1UL << -_exp) - 1)) == 0);

    /// <summary>Rounds the exact value <paramref name="magnitude"/> * 2^<paramref name="exp"/> (plus a positive amount below
    /// its last bit when <paramref name="sticky"/>) to the mantissa, to nearest even.</summary>
    private static RegoNumberFloat Round(BigInteger magnitude, long exp, bool sticky, bool neg)
    {
        if (magnitude.IsZero)
        {
            return new RegoNumberFloat(0, 0, neg);
        }
        int bits = checked((int)magnitude.GetBitLength());
        if (bits <= Precision)
        {
            int up = Precision - bits;
            return new RegoNumberFloat((ulong)(magnitude << up), checked((int)(exp - up)), neg);
        }
        int shift = bits - Precision;
        var q = magnitude >> shift;
        var rest = magnitude - (q << shift);
        int c = rest.CompareTo(BigInteger.One << (shift - 1));
        if (c > 0 || (c == 0 && (sticky || !q.IsEven)))
        {
            q += 1;
        }
        exp += shift;
        if (q.GetBitLength() > Precision)
        {
            q >>= 1;
            exp++;
        }
        return new RegoNumberFloat((ulong)q, checked((int)exp), neg);
    }

    /// <summary>The integer, rounded to the mantissa.</summary>
    public static RegoNumberFloat FromInteger(BigInteger value) => Round(BigInteger.Abs(value), 0, false, value.Sign < 0);

    /// <summary>The decimal <paramref name="unscaled"/> * 10^<paramref name="exp10"/>, correctly rounded
    /// (<paramref name="negativeZero"/> gives -0 when the value is zero).</summary>
    public static RegoNumberFloat FromDecimal(BigInteger unscaled, int exp10, bool negativeZero = false)
    {
        bool neg = unscaled.Sign < 0 || (unscaled.IsZero && negativeZero);
        var m = BigInteger.Abs(unscaled);
        if (exp10 >= 0)
        {
            return Round(m * BigInteger.Pow(10, exp10), 0, false, neg);
        }
        var den = BigInteger.Pow(10, -exp10);
        long k = Math.Max(0, QuotientBits + (long)den.GetBitLength() - (long)m.GetBitLength());
        var q = BigInteger.DivRem(m << (int)k, den, out var r);
        return Round(q, -k, !r.IsZero, neg);
    }

    /// <summary>x + y.</summary>
    public static RegoNumberFloat Add(RegoNumberFloat x, RegoNumberFloat y)
    {
        if (x.IsZero && y.IsZero)
        {
            return new RegoNumberFloat(0, 0, x._neg && y._neg);
        }
        if (x.IsZero)
        {
            return y;
        }
        if (y.IsZero)
        {
            return x;
        }
        int e = Math.Min(x._exp, y._exp);
        var a = new BigInteger(x._mant) << (x._exp - e);
        var b = new BigInteger(y._mant) << (y._exp - e);
        var sum = (x._neg ? -a : a) + (y._neg ? -b : b);
        return Round(BigInteger.Abs(sum), e, false, sum.Sign < 0);
    }

    /// <summary>x - y.</summary>
    public static RegoNumberFloat Subtract(RegoNumberFloat x, RegoNumberFloat y) => Add(x, y.Negate());

    /// <summary>x * y.</summary>
    public static RegoNumberFloat Multiply(RegoNumberFloat x, RegoNumberFloat y) =>
        Round(new BigInteger(x._mant) * y._mant, (long)x._exp + y._exp, false, x._neg ^ y._neg);

    /// <summary>x / y; y must not be zero.</summary>
    public static RegoNumberFloat Divide(RegoNumberFloat x, RegoNumberFloat y)
    {
        if (y.IsZero)
        {
            throw new DivideByZeroException();
        }
        var q = BigInteger.DivRem(new BigInteger(x._mant) << QuotientBits, y._mant, out var r);
        return Round(q, (long)x._exp - y._exp - QuotientBits, !r.IsZero, x._neg ^ y._neg);
    }

    /// <summary>|x|.</summary>
    public RegoNumberFloat Abs() => new(_mant, _exp, false);

    /// <summary>-x.</summary>
    public RegoNumberFloat Negate() => new(_mant, _exp, !_neg);

    /// <summary>The integer part (toward zero).</summary>
    public BigInteger Truncate()
    {
        var m = new BigInteger(_mant);
        m = _exp >= 0 ? m << _exp : (_exp <= -Precision ? BigInteger.Zero : m >> -_exp);
        return _neg ? -m : m;
    }

    /// <summary>OPA's round: half away from zero, computed as big.Float does (x ± 0.5 rounded, then truncated).</summary>
    public BigInteger RoundHalfAwayFromZero()
    {
        var half = new RegoNumberFloat(1UL << 63, -Precision, _neg);
        return Add(this, half).Truncate();
    }

    /// <summary>The shortest decimal text that reads back to this value: Go's Text('f', -1) when integral, else Text('g', -1).</summary>
    public string ToText()
    {
        var digits = new StringBuilder();
        int dp = 0;
        if (!IsZero)
        {
            dp = ExactDecimal(new BigInteger(_mant), _exp, digits);
            RoundShortest(digits, ref dp);
        }
        var sb = new StringBuilder();
        if (_neg)
        {
            sb.Append('-');
        }
        int nd = digits.Length;
        if (IsInteger)
        {
            AppendFixed(sb, digits, dp, Math.Max(nd - dp, 0));
            return sb.ToString();
        }
        int exp = dp - 1;
        if (exp < -4 || exp >= 6)
        {
            AppendExponent(sb, digits, dp, nd - 1);
        }
        else
        {
            AppendFixed(sb, digits, dp, Math.Max(nd - dp, 0));
        }
        return sb.ToString();
    }

    /// <summary>Writes the exact decimal digits of m * 2^shift (no trailing zeros) and returns the decimal point position.</summary>
    private static int ExactDecimal(BigInteger m, int shift, StringBuilder digits)
    {
        string s;
        int dp;
        if (shift >= 0)
        {
            s = (m << shift).ToString(CultureInfo.InvariantCulture);
            dp = s.Length;
        }
        else
        {
            s = (m * BigInteger.Pow(5, -shift)).ToString(CultureInfo.InvariantCulture);
            dp = s.Length + shift;
        }
        digits.Append(s.AsSpan().TrimEnd('0'));
        return dp;
    }

    /// <summary>Go's roundShortest: the fewest digits such that the decimal still lies within half an ulp of the value.</summary>
    private void RoundShortest(StringBuilder d, ref int dp)
    {
        // mant with one more bit, so that its last bit is half an ulp
        var mant = new BigInteger(_mant) << 1;
        int exp = _exp - 1;
        // As Go, the bounds are compared digit by digit with the value, whatever their decimal point.
        var lower = new StringBuilder();
        ExactDecimal(mant - 1, exp, lower);
        var upper = new StringBuilder();
        ExactDecimal(mant + 1, exp, upper);
        bool inclusive = (_mant & 1) == 0;
        for (int i = 0; i < d.Length; i++)
        {
            char m = d[i];
            char l = i < lower.Length ? lower[i] : '0';
            char u = i < upper.Length ? upper[i] : '0';
            bool okDown = l != m || (inclusive && i + 1 == lower.Length);
            bool okUp = m != u && (inclusive || m + 1 < u || i + 1 < upper.Length);
            if (okDown && okUp)
            {
                RoundHalfEven(d, ref dp, i + 1);
                return;
            }
            if (okDown)
            {
                RoundDown(d, i + 1);
                return;
            }
            if (okUp)
            {
                RoundUp(d, ref dp, i + 1);
                return;
            }
        }
    }

    private static void RoundHalfEven(StringBuilder d, ref int dp, int n)
    {
        if (n < 0 || n >= d.Length)
        {
            return;
        }
        bool up = d[n] == '5' && n + 1 == d.Length ? n > 0 && ((d[n - 1] - '0') & 1) != 0 : d[n] >= '5';
        if (up)
        {
            RoundUp(d, ref dp, n);
        }
        else
        {
            RoundDown(d, n);
        }
    }

    private static void RoundDown(StringBuilder d, int n)
    {
        if (n < d.Length)
        {
            d.Length = n;
        }
        while (d.Length > 0 && d[^1] == '0')
        {
            d.Length--;
        }
    }

    private static void RoundUp(StringBuilder d, ref int dp, int n)
    {
        if (n < 0 || n >= d.Length)
        {
            return;
        }
        while (n > 0 && d[n - 1] >= '9')
        {
            n--;
        }
        if (n == 0)
        {
            d.Clear().Append('1');
            dp++;
            return;
        }
        d[n - 1]++;
        d.Length = n;
    }

    private static char At(StringBuilder d, int i) => i >= 0 && i < d.Length ? d[i] : '0';

    private static void AppendFixed(StringBuilder sb, StringBuilder d, int dp, int prec)
    {
        if (dp > 0)
        {
            for (int i = 0; i < dp; i++)
            {
                sb.Append(At(d, i));
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
                sb.Append(At(d, dp + i));
            }
        }
    }

    private static void AppendExponent(StringBuilder sb, StringBuilder d, int dp, int prec)
    {
        sb.Append(d.Length > 0 ? d[0] : '0');
        if (prec > 0)
        {
            sb.Append('.');
            for (int i = 1; i <= prec; i++)
            {
                sb.Append(At(d, i));
            }
        }
        long exp = d.Length > 0 ? dp - 1L : 0;
        sb.Append('e').Append(exp < 0 ? '-' : '+');
        exp = Math.Abs(exp);
        if (exp < 10)
        {
            sb.Append('0');
        }
        sb.Append(exp.ToString(CultureInfo.InvariantCulture));
    }
}

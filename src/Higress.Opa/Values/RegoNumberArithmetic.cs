using System.Numerics;

namespace Higress.Opa.Values;

/// <content>
/// Arithmetic as OPA's topdown does it: integers (including integral literals such as <c>1.0</c>) exactly, everything
/// else as Go's big.Float read from the operands' decimal text and printed back as the shortest text.
/// </content>
public sealed partial class RegoNumber
{
    /// <summary>Adds (exact for integers).</summary>
    public static RegoNumber Add(RegoNumber a, RegoNumber b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a._rep == Rep.Int && b._rep == Rep.Int)
        {
            long r = unchecked(a._long + b._long);
            if (((a._long ^ r) & (b._long ^ r)) >= 0)
            {
                return FromInt64(r);
            }
        }
        if (a.IsExactInteger && b.IsExactInteger)
        {
            return FromBigInteger(a.ToBig() + b.ToBig());
        }
        return FromFloat(RegoNumberFloat.Add(a.ToFloat(), b.ToFloat()));
    }

    /// <summary>Subtracts (exact for integers).</summary>
    public static RegoNumber Subtract(RegoNumber a, RegoNumber b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a._rep == Rep.Int && b._rep == Rep.Int)
        {
            long r = unchecked(a._long - b._long);
            if (((a._long ^ b._long) & (a._long ^ r)) >= 0)
            {
                return FromInt64(r);
            }
        }
        if (a.IsExactInteger && b.IsExactInteger)
        {
            return FromBigInteger(a.ToBig() - b.ToBig());
        }
        return FromFloat(RegoNumberFloat.Subtract(a.ToFloat(), b.ToFloat()));
    }

    /// <summary>Multiplies (exact for integers).</summary>
    public static RegoNumber Multiply(RegoNumber a, RegoNumber b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.IsExactInteger && b.IsExactInteger)
        {
            if (a._rep == Rep.Int && b._rep == Rep.Int)
            {
                long hi = Math.BigMul(a._long, b._long, out long lo);
                if ((hi == 0 && lo >= 0) || (hi == -1 && lo < 0))
                {
                    return FromInt64(lo);
                }
            }
            return FromBigInteger(a.ToBig() * b.ToBig());
        }
        return FromFloat(RegoNumberFloat.Multiply(a.ToFloat(), b.ToFloat()));
    }

    /// <summary>
    /// Divides; returns null when dividing by zero. An integer when both are integers and the divisor divides the
    /// dividend (as OPA, a zero dividend goes through big.Float, so <c>0 / -5</c> is <c>-0</c>); otherwise big.Float.
    /// </summary>
    public static RegoNumber? Divide(RegoNumber a, RegoNumber b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (b.Sign == 0)
        {
            return null;
        }
        if (a._rep == Rep.Int && b._rep == Rep.Int && a._long != 0 && b._long != -1 && a._long % b._long == 0)
        {
            return FromInt64(a._long / b._long);
        }
        return FromFloat(RegoNumberFloat.Divide(a.ToFloat(), b.ToFloat()));
    }

    /// <summary>Integer remainder with the sign of the dividend; returns null when the divisor is zero. Both must be integers.</summary>
    public static RegoNumber? Remainder(RegoNumber a, RegoNumber b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (b.Sign == 0)
        {
            return null;
        }
        if (a._rep == Rep.Int && b._rep == Rep.Int && b._long != -1)
        {
            return FromInt64(a._long % b._long);
        }
        a.TryGetBigInteger(out var x);
        b.TryGetBigInteger(out var y);
        return FromBigInteger(BigInteger.Remainder(x, y));
    }

    /// <summary>Absolute value (an integral literal such as <c>-1.0</c> gives <c>1</c>).</summary>
    public RegoNumber Abs() => IsExactInteger ? FromBigInteger(BigInteger.Abs(ToBig())) : FromFloat(ToFloat().Abs());

    /// <summary>OPA's <c>round</c>: half away from zero.</summary>
    internal RegoNumber Round() => IsExactInteger ? FromBigInteger(ToBig()) : FromBigInteger(ToFloat().RoundHalfAwayFromZero());

    /// <summary>
    /// OPA's <c>ceil</c>: the truncated value, plus one when it was cut and is not negative. As in OPA, a value in
    /// (-1, 0) truncates to 0 and so gives 1.
    /// </summary>
    internal RegoNumber Ceiling()
    {
        if (IsExactInteger)
        {
            return FromBigInteger(ToBig());
        }
        var x = ToFloat();
        var t = x.Truncate();
        return FromBigInteger(t.Sign < 0 || x.IsInteger ? t : t + 1);
    }

    /// <summary>OPA's <c>floor</c>: the truncated value, minus one when it was cut and is negative (as in OPA, a value in
    /// (-1, 0) truncates to 0 and so gives 0).</summary>
    internal RegoNumber Floor()
    {
        if (IsExactInteger)
        {
            return FromBigInteger(ToBig());
        }
        var x = ToFloat();
        var t = x.Truncate();
        return FromBigInteger(t.Sign >= 0 || x.IsInteger ? t : t - 1);
    }

    /// <summary>The value as OPA's big.Float: read from its decimal text at 64-bit precision.</summary>
    internal RegoNumberFloat ToFloat()
    {
        switch (_rep)
        {
            case Rep.Int:
                return _long == 0 && _text is ['-', ..]
                    ? RegoNumberFloat.FromDecimal(BigInteger.Zero, 0, negativeZero: true)
                    : RegoNumberFloat.FromInteger(_long);
            case Rep.Big:
                return RegoNumberFloat.FromInteger(_big);
            default:
                ToDecimalParts(out var u, out int e);
                return RegoNumberFloat.FromDecimal(u, e);
        }
    }

    private static RegoNumber FromFloat(RegoNumberFloat f) => TryParse(f.ToText()) ?? throw new OverflowException("arithmetic result is not a number");
}

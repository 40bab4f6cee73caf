using System.Globalization;
using System.Numerics;
using System.Text;

namespace Higress.Opa.Values;

/// <summary>
/// A Rego number. Integers are exact at any size (a <see cref="long"/> fast path, <see cref="BigInteger"/> beyond it);
/// numbers with a fraction are exact decimals. As in OPA, a literal keeps its text (<c>1.0</c>, <c>1.5e3</c>,
/// <c>12.50</c> print as written), integer arithmetic is exact (big.Int) and other arithmetic is Go's big.Float
/// (<see cref="RegoNumberFloat"/>). Numbers made from doubles by built-ins are doubles.
/// </summary>
public sealed partial class RegoNumber : RegoValue
{
    private enum Rep : byte { Int, Big, Float, Dec }

    private static readonly RegoNumber[] SmallInts = CreateSmallInts();

    private readonly Rep _rep;
    private readonly long _long;
    private readonly double _double;
    private readonly BigInteger _big;
    private readonly int _exp; // Dec: value = _big * 10^_exp
    private readonly string? _text; // literal text kept for printing (exponent literals, decimals beyond double)

    private RegoNumber(long value) { _rep = Rep.Int; _long = value; }

    private RegoNumber(long value, string text) { _rep = Rep.Int; _long = value; _text = text; }

    private RegoNumber(BigInteger value) { _rep = Rep.Big; _big = value; }

    private RegoNumber(double value) { _rep = Rep.Float; _double = value; }

    private RegoNumber(BigInteger value, string? text) { _rep = Rep.Big; _big = value; _text = text; }

    private RegoNumber(BigInteger unscaled, int exp, string text) { _rep = Rep.Dec; _big = unscaled; _exp = exp; _text = text; }

    private static RegoNumber[] CreateSmallInts()
    {
        var a = new RegoNumber[1025];
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = new RegoNumber(i - 128);
        }
        return a;
    }

    /// <summary>Zero.</summary>
    public static RegoNumber Zero => SmallInts[128];

    /// <summary>One.</summary>
    public static RegoNumber One => SmallInts[129];

    /// <inheritdoc />
    public override RegoKind Kind => RegoKind.Number;

    /// <summary>Creates an integer number.</summary>
    public static RegoNumber FromInt64(long value) => value is >= -128 and <= 896 ? SmallInts[value + 128] : new RegoNumber(value);

    /// <summary>Creates an integer number of any size.</summary>
    public static RegoNumber FromBigInteger(BigInteger value) =>
        value >= long.MinValue && value <= long.MaxValue ? FromInt64((long)value) : new RegoNumber(value);

    /// <summary>Creates a number from a double. Integral doubles that fit a long become integers. NaN and infinities are rejected.</summary>
    public static RegoNumber FromDouble(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), "NaN and infinity are not valid Rego numbers.");
        }
        if (Math.Floor(value) == value && value >= -9.2e18 && value <= 9.2e18)
        {
            return FromInt64((long)value);
        }
        return new RegoNumber(value);
    }

    /// <summary>Creates a number from a decimal.</summary>
    public static RegoNumber FromDecimal(decimal value) =>
        decimal.Truncate(value) == value ? FromBigInteger(new BigInteger(value)) : new RegoNumber((double)value);

    /// <summary>Parses a JSON/Rego number literal; returns null when the text is not a number.</summary>
    public static RegoNumber? TryParse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            return null;
        }
        bool integral = true;
        foreach (char c in text)
        {
            if (c is '.' or 'e' or 'E')
            {
                integral = false;
                break;
            }
        }
        if (integral)
        {
            if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l))
            {
                return WithText(l, text);
            }
            if (BigInteger.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var b))
            {
                return b.ToString(CultureInfo.InvariantCulture) == text ? FromBigInteger(b) : new RegoNumber(b, text);
            }
            return null;
        }
        if (!TryParseDecimal(text, out var unscaled, out int exp))
        {
            return null;
        }
        if (exp >= 0)
        {
            if (exp > 100_000) return null;
            var value = unscaled * BigInteger.Pow(10, exp);
            if (value >= long.MinValue && value <= long.MaxValue)
            {
                return new RegoNumber((long)value, text);
            }
            return new RegoNumber(value, text);
        }
        return new RegoNumber(unscaled, exp, text);
    }

    private static RegoNumber WithText(long value, string text)
    {
        var digits = text.AsSpan(text.StartsWith('-') ? 1 : 0);
        bool canonical = digits.Length > 0 && char.IsAsciiDigit(digits[0]) && (digits[0] != '0' || text == "0");
        return canonical ? FromInt64(value) : new RegoNumber(value, text);
    }

    /// <summary>True when the number is an integer (exactly; an integral double also counts).</summary>
    public bool IsInteger => _rep is Rep.Int or Rep.Big || (_rep == Rep.Float && Math.Floor(_double) == _double);

    /// <summary>True when the number is stored as an exact integer (not a double).</summary>
    internal bool IsExactInteger => _rep is Rep.Int or Rep.Big;

    /// <summary>True when the number prints as its literal text rather than in canonical form (<c>1.0</c>, <c>1e3</c>).</summary>
    internal bool HasLiteralText => _text is not null;

    /// <summary>Gets the value as a long when it is an integer in range.</summary>
    public bool TryGetInt64(out long value)
    {
        switch (_rep)
        {
            case Rep.Int:
                value = _long;
                return true;
            case Rep.Float when Math.Floor(_double) == _double && _double >= -9.2e18 && _double <= 9.2e18:
                value = (long)_double;
                return true;
            default:
                value = 0;
                return false;
        }
    }

    /// <summary>Gets the value as an int when it is an integer in range.</summary>
    public bool TryGetInt32(out int value)
    {
        if (TryGetInt64(out long l) && l is >= int.MinValue and <= int.MaxValue)
        {
            value = (int)l;
            return true;
        }
        value = 0;
        return false;
    }

    /// <summary>Gets the value as a BigInteger when it is an integer.</summary>
    public bool TryGetBigInteger(out BigInteger value)
    {
        switch (_rep)
        {
            case Rep.Int: value = _long; return true;
            case Rep.Big: value = _big; return true;
            case Rep.Dec: value = default; return false;
            default:
                if (Math.Floor(_double) == _double)
                {
                    value = new BigInteger(_double);
                    return true;
                }
                value = default;
                return false;
        }
    }

    /// <summary>The value as a double (may lose precision for big integers).</summary>
    public double ToDouble() => _rep switch
    {
        Rep.Int => _long,
        Rep.Big => (double)_big,
        Rep.Dec => double.Parse(_text!, NumberStyles.Float, CultureInfo.InvariantCulture),
        _ => _double,
    };

    /// <summary>The sign: -1, 0 or 1.</summary>
    public int Sign => _rep switch { Rep.Int => Math.Sign(_long), Rep.Big or Rep.Dec => _big.Sign, _ => Math.Sign(_double) };

    private static int CompareLongDouble(long l, double d)
    {
        if (d >= 9.2e18)
        {
            return -1;
        }
        if (d <= -9.2e18)
        {
            return 1;
        }
        if (Math.Floor(d) == d)
        {
            return l.CompareTo((long)d);
        }
        return ((double)l).CompareTo(d);
    }

    private static int CompareBigDouble(BigInteger b, double d)
    {
        if (Math.Floor(d) == d)
        {
            return b.CompareTo(new BigInteger(d));
        }
        return b.Sign;
    }

    /// <summary>Numeric comparison.</summary>
    public static int CompareNumbers(RegoNumber a, RegoNumber b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a._rep == Rep.Dec || b._rep == Rep.Dec)
        {
            return CompareDecimal(a, b);
        }
        return (a._rep, b._rep) switch
        {
            (Rep.Int, Rep.Int) => a._long.CompareTo(b._long),
            (Rep.Float, Rep.Float) => a._double.CompareTo(b._double),
            (Rep.Int, Rep.Float) => CompareLongDouble(a._long, b._double),
            (Rep.Float, Rep.Int) => -CompareLongDouble(b._long, a._double),
            (Rep.Big, Rep.Float) => CompareBigDouble(a._big, b._double),
            (Rep.Float, Rep.Big) => -CompareBigDouble(b._big, a._double),
            (Rep.Big, Rep.Big) => a._big.CompareTo(b._big),
            (Rep.Big, Rep.Int) => a._big.Sign,
            _ => -b._big.Sign,
        };
    }

    private protected override int CompareSameKind(RegoValue other) => CompareNumbers(this, (RegoNumber)other);

    private protected override bool EqualsSameKind(RegoValue other)
    {
        var o = (RegoNumber)other;
        if (_rep == Rep.Int && o._rep == Rep.Int)
        {
            return _long == o._long;
        }
        return CompareNumbers(this, o) == 0;
    }

    /// <inheritdoc />
    public override int GetHashCode()
    {
        switch (_rep)
        {
            case Rep.Int: return _long.GetHashCode();
            case Rep.Big: return _big.GetHashCode();
            case Rep.Dec: return HashCode.Combine(_big, _exp);
            default:
                if (Math.Floor(_double) == _double)
                {
                    return _double >= -9.2e18 && _double <= 9.2e18 ? ((long)_double).GetHashCode() : new BigInteger(_double).GetHashCode();
                }
                // the same hash as the decimal literal of the same value
                ToDecimalParts(out var u, out int e);
                return HashCode.Combine(u, e);
        }
    }

    /// <summary>Negates.</summary>
    public RegoNumber Negate() => _rep switch
    {
        Rep.Int when _long != long.MinValue => FromInt64(-_long),
        Rep.Float => new RegoNumber(-_double),
        Rep.Dec => new RegoNumber(-_big, _exp, _text!.StartsWith('-') ? _text[1..] : "-" + _text),
        _ => FromBigInteger(-ToBig()),
    };

    /// <summary>The value as a BigInteger (truncating a fraction).</summary>
    internal BigInteger ToBig() => _rep switch
    {
        Rep.Int => _long,
        Rep.Big => _big,
        Rep.Dec => BigInteger.Divide(_big, BigInteger.Pow(10, -_exp)),
        _ => new BigInteger(_double),
    };

    /// <summary>The number as text, as OPA prints it (integers without exponent; doubles in shortest round-trip form).</summary>
    public string ToText() => _rep switch
    {
        Rep.Int => _text ?? _long.ToString(CultureInfo.InvariantCulture),
        Rep.Big => _text ?? _big.ToString(CultureInfo.InvariantCulture),
        Rep.Dec => _text!,
        _ => FormatDouble(_double),
    };

    private static string FormatDouble(double d)
    {
        if (Math.Floor(d) == d && Math.Abs(d) < 1e21)
        {
            return new BigInteger(d).ToString(CultureInfo.InvariantCulture);
        }
        string s = d.ToString("R", CultureInfo.InvariantCulture);
        return s.Replace("E", "e", StringComparison.Ordinal);
    }

    internal override void AppendRego(StringBuilder sb) => sb.Append(ToText());
}

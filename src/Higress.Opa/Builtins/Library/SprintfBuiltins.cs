using System.Globalization;
using System.Numerics;
using System.Text;
using Higress.Opa.Values;

namespace Higress.Opa.Builtins.Library;

/// <summary>sprintf with Go's fmt semantics for the argument kinds OPA passes (big integers, float64, strings).</summary>
internal static class SprintfBuiltins
{
    public static void Register(BuiltinRegistry r)
    {
        r.Register2("sprintf", (a, b, _) =>
        {
            string format = Operand.AsString(a, 1);
            var args = Operand.AsArray(b, 2);
            var list = new List<object>(args.Count);
            foreach (var x in args.AsSpan())
            {
                list.Add(x switch
                {
                    // As OPA: the number's text decides. An integer literal prints as an integer (Go int64, or *big.Int
                    // beyond); anything with a fraction or an exponent as a float64 (1.0 is "%!d(float64=1)"), unless
                    // it does not fit one (2e308), in which case its literal text is printed.
                    RegoNumber n when IsIntegerLiteral(n.ToText()) && n.TryGetBigInteger(out var bi) => bi,
                    RegoNumber n when double.IsInfinity(n.ToDouble()) => n.ToText(),
                    RegoNumber n => n.ToDouble(),
                    RegoString s => s.Value,
                    _ => x.ToString(),
                });
            }
            return RegoString.Create(Format(format, list));
        });
    }

    private static bool IsIntegerLiteral(string text) => text.AsSpan().TrimStart('-').IndexOfAnyExcept("0123456789") < 0;

    private sealed class Spec
    {
        public bool Minus, Plus, Zero, Space, Sharp;
        public int Width = -1, Prec = -1;
    }

    internal static string Format(string format, List<object> args)
    {
        var sb = new StringBuilder();
        int argi = 0;
        bool reordered = false, badIndex = false;
        int i = 0;
        while (i < format.Length)
        {
            char c = format[i];
            if (c != '%')
            {
                sb.Append(c);
                i++;
                continue;
            }
            i++;
            var spec = new Spec();
            while (i < format.Length)
            {
                char f = format[i];
                if (f == '-') { spec.Minus = true; }
                else if (f == '+') { spec.Plus = true; }
                else if (f == '0') { spec.Zero = true; }
                else if (f == ' ') { spec.Space = true; }
                else if (f == '#') { spec.Sharp = true; }
                else { break; }
                i++;
            }
            // Go's explicit argument index: %[2]d formats the second operand
            if (i < format.Length && format[i] == '[')
            {
                int close = format.IndexOf(']', i);
                if (close > i && int.TryParse(format.AsSpan(i + 1, close - i - 1), NumberStyles.None, CultureInfo.InvariantCulture, out int index) &&
                    index >= 1 && index <= args.Count)
                {
                    argi = index - 1;
                    reordered = true;
                    i = close + 1;
                }
                else
                {
                    badIndex = true;
                    i = close > i ? close + 1 : format.Length;
                }
            }
            spec.Width = ReadNum(format, ref i);
            if (i < format.Length && format[i] == '.')
            {
                i++;
                spec.Prec = ReadNum(format, ref i);
                if (spec.Prec < 0)
                {
                    spec.Prec = 0;
                }
            }
            if (i >= format.Length)
            {
                sb.Append("%!(NOVERB)");
                break;
            }
            char verb = format[i];
            i++;
            if (verb == '%')
            {
                sb.Append('%');
                continue;
            }
            if (badIndex)
            {
                sb.Append("%!").Append(verb).Append("(BADINDEX)");
                badIndex = false;
                reordered = true;
                continue;
            }
            if (argi >= args.Count)
            {
                sb.Append("%!").Append(verb).Append("(MISSING)");
                continue;
            }
            var arg = args[argi++];
            sb.Append(FormatArg(verb, arg, spec));
        }
        if (!reordered && argi < args.Count)
        {
            sb.Append("%!(EXTRA ");
            for (int k = argi; k < args.Count; k++)
            {
                if (k > argi)
                {
                    sb.Append(", ");
                }
                sb.Append(TypeName(args[k])).Append('=').Append(Plain(args[k]));
            }
            sb.Append(')');
        }
        return sb.ToString();
    }

    private static int ReadNum(string s, ref int i)
    {
        int start = i, n = 0;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            n = Math.Min(n * 10 + (s[i] - '0'), 1_000_000);
            i++;
        }
        return i == start ? -1 : n;
    }

    private static bool IsInt64(BigInteger b) => b >= long.MinValue && b <= long.MaxValue;

    private static string TypeName(object a) => a switch
    {
        BigInteger b => IsInt64(b) ? "int64" : "*big.Int",
        double => "float64",
        _ => "string",
    };

    private static string Plain(object a) => a switch
    {
        BigInteger b => b.ToString(CultureInfo.InvariantCulture),
        double d => GoFloatFormat.Format(d, 'g', -1),
        _ => (string)a,
    };

    /// <summary>
    /// One operand. A verb that does not fit the operand prints as Go's fmt does: the operand's %v with the same
    /// flags, width and precision inside <c>%!verb(type=...)</c> (<c>%5d</c> of 1.5 is <c>%!d(float64=  1.5)</c>);
    /// *big.Int formats itself and prints its plain digits there.
    /// </summary>
    private static string FormatArg(char verb, object arg, Spec spec)
    {
        if (verb == 'T')
        {
            return Pad(TypeName(arg), spec, numeric: false);
        }
        string? s = FormatOne(verb, arg, spec);
        if (s is not null)
        {
            return Pad(s, spec, arg is not string, ZeroPads(arg, spec));
        }
        if (arg is BigInteger b && !IsInt64(b))
        {
            return "%!" + verb + "(big.Int=" + Plain(arg) + ")";
        }
        string inner = Pad(FormatOne('v', arg, spec)!, spec, arg is not string, ZeroPads(arg, spec));
        return "%!" + verb + "(" + TypeName(arg) + "=" + inner + ")";
    }

    // Go ignores the 0 flag for integers when a precision is given (the precision pads instead).
    private static bool ZeroPads(object arg, Spec spec) => spec.Zero && !spec.Minus && !(arg is BigInteger && spec.Prec >= 0);

    private static string Pad(string s, Spec spec, bool numeric, bool zero = false)
    {
        int len = LibraryHelpers.RuneCount(s);
        if (spec.Width <= len)
        {
            return s;
        }
        int pad = spec.Width - len;
        if (spec.Minus)
        {
            return s + new string(' ', pad);
        }
        if (zero)
        {
            int signLen = s.Length > 0 && (s[0] == '-' || s[0] == '+' || s[0] == ' ') && numeric ? 1 : 0;
            return s[..signLen] + new string('0', pad) + s[signLen..];
        }
        return new string(' ', pad) + s;
    }

    /// <summary>The operand formatted with the verb (not padded), or null when the verb does not apply to it.</summary>
    private static string? FormatOne(char verb, object arg, Spec spec)
    {
        switch (arg)
        {
            case BigInteger b:
                return verb switch
                {
                    'v' or 'd' => Sign(b, spec, Digits(b, 10, spec)),
                    's' when !IsInt64(b) => Sign(b, spec, Digits(b, 10, spec)),
                    'x' => Sign(b, spec, (spec.Sharp ? "0x" : "") + Digits(b, 16, spec)),
                    'X' => Sign(b, spec, (spec.Sharp ? "0X" : "") + Digits(b, 16, spec).ToUpperInvariant()),
                    'o' => Sign(b, spec, (spec.Sharp ? "0" : "") + Digits(b, 8, spec)),
                    'O' => Sign(b, spec, "0o" + Digits(b, 8, spec)),
                    'b' => Sign(b, spec, Digits(b, 2, spec)),
                    'U' when IsInt64(b) && b.Sign >= 0 => "U+" + ((long)b).ToString("X4", CultureInfo.InvariantCulture),
                    'c' when IsInt64(b) => b >= 0 && b <= 0x10FFFF && (b < 0xD800 || b > 0xDFFF) ? char.ConvertFromUtf32((int)b) : "\uFFFD",
                    _ => null,
                };
            case double d:
                string body = verb switch
                {
                    'v' or 'g' => GoFloatFormat.Format(Math.Abs(d), 'g', spec.Prec),
                    'G' => GoFloatFormat.Format(Math.Abs(d), 'g', spec.Prec).ToUpperInvariant(),
                    'f' or 'F' => GoFloatFormat.Format(Math.Abs(d), 'f', spec.Prec < 0 ? 6 : spec.Prec),
                    'e' => GoFloatFormat.Format(Math.Abs(d), 'e', spec.Prec < 0 ? 6 : spec.Prec),
                    'E' => GoFloatFormat.Format(Math.Abs(d), 'e', spec.Prec < 0 ? 6 : spec.Prec).ToUpperInvariant(),
                    'x' => SprintfHexFloat.Format(Math.Abs(d), spec.Prec, upper: false),
                    'X' => SprintfHexFloat.Format(Math.Abs(d), spec.Prec, upper: true),
                    _ => "",
                };
                if (body.Length == 0)
                {
                    return null;
                }
                string sign = d < 0 || (d == 0 && double.IsNegative(d)) ? "-" : spec.Plus ? "+" : spec.Space ? " " : "";
                return sign + body;
            default:
                string s = (string)arg;
                switch (verb)
                {
                    case 'v' when spec.Sharp:
                        return Quote(s);
                    case 'v':
                    case 's':
                        if (spec.Prec >= 0)
                        {
                            var runes = LibraryHelpers.Runes(s);
                            if (runes.Length > spec.Prec)
                            {
                                s = LibraryHelpers.FromRunes(runes.AsSpan(0, spec.Prec));
                            }
                        }
                        return s;
                    case 'q':
                        return Quote(s);
                    case 'x':
                    case 'X':
                        return HexBytes(Encoding.UTF8.GetBytes(s), verb == 'X', spec);
                    default:
                        return null;
                }
        }
    }

    private static string Digits(BigInteger b, int radix, Spec spec)
    {
        string digits = StringBuiltins.FormatBig(BigInteger.Abs(b), radix);
        if (spec.Prec >= 0)
        {
            if (spec.Prec == 0 && b.IsZero)
            {
                digits = "";
            }
            else if (digits.Length < spec.Prec)
            {
                digits = new string('0', spec.Prec - digits.Length) + digits;
            }
        }
        return digits;
    }

    private static string Sign(BigInteger b, Spec spec, string digits) =>
        (b.Sign < 0 ? "-" : spec.Plus ? "+" : spec.Space ? " " : "") + digits;

    /// <summary>Go's %x of a string: "% x" separates the bytes, "%#x" prefixes 0x (to each byte with a space).</summary>
    private static string HexBytes(byte[] bytes, bool upper, Spec spec)
    {
        string prefix = spec.Sharp ? (upper ? "0X" : "0x") : "";
        var sb = new StringBuilder();
        for (int k = 0; k < bytes.Length; k++)
        {
            if (spec.Space && k > 0)
            {
                sb.Append(' ');
            }
            if (k == 0 || spec.Space)
            {
                sb.Append(prefix);
            }
            sb.Append(bytes[k].ToString(upper ? "X2" : "x2", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    private static string Quote(string s)
    {
        var sb = new StringBuilder();
        RegoString.AppendQuoted(sb, s);
        return sb.ToString();
    }
}

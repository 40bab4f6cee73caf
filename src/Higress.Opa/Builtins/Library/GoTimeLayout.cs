using System.Globalization;
using System.Numerics;
using System.Text;

namespace Higress.Opa.Builtins.Library;

/// <summary>Go's reference-time layouts ("2006-01-02T15:04:05Z07:00"): tokenizing, formatting and parsing.</summary>
internal static partial class GoTimeLayout
{
    internal enum Tok
    {
        Literal, LongMonth, Month, NumMonth, ZeroMonth, LongWeekDay, WeekDay, Day, UnderDay, ZeroDay, YearDay, UnderYearDay,
        Hour, Hour12, ZeroHour12, Minute, ZeroMinute, Second, ZeroSecond, LongYear, Year, PM, Pm, TZ,
        NumTZ, NumShortTZ, NumColonTZ, NumSecondsTZ, NumColonSecondsTZ,
        IsoTZ, IsoShortTZ, IsoColonTZ, IsoSecondsTZ, IsoColonSecondsTZ, FracZero, FracNine,
    }

    internal readonly record struct Token(Tok Kind, string Text, int Digits = 0);

    public static readonly Dictionary<string, string> Named = new(StringComparer.Ordinal)
    {
        ["ANSIC"] = "Mon Jan _2 15:04:05 2006",
        ["UnixDate"] = "Mon Jan _2 15:04:05 MST 2006",
        ["RubyDate"] = "Mon Jan 02 15:04:05 -0700 2006",
        ["RFC822"] = "02 Jan 06 15:04 MST",
        ["RFC822Z"] = "02 Jan 06 15:04 -0700",
        ["RFC850"] = "Monday, 02-Jan-06 15:04:05 MST",
        ["RFC1123"] = "Mon, 02 Jan 2006 15:04:05 MST",
        ["RFC1123Z"] = "Mon, 02 Jan 2006 15:04:05 -0700",
        ["RFC3339"] = "2006-01-02T15:04:05Z07:00",
        ["RFC3339Nano"] = "2006-01-02T15:04:05.999999999Z07:00",
        ["Kitchen"] = "3:04PM",
        ["Stamp"] = "Jan _2 15:04:05",
        ["StampMilli"] = "Jan _2 15:04:05.000",
        ["StampMicro"] = "Jan _2 15:04:05.000000",
        ["StampNano"] = "Jan _2 15:04:05.000000000",
        ["DateTime"] = "2006-01-02 15:04:05",
        ["DateOnly"] = "2006-01-02",
        ["TimeOnly"] = "15:04:05",
    };

    internal static readonly string[] LongMonths = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
    internal static readonly string[] LongDays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

    public static string Resolve(string layout) => Named.TryGetValue(layout, out var l) ? l : layout;

    public static List<Token> Tokenize(string layout)
    {
        var list = new List<Token>();
        var lit = new StringBuilder();
        int i = 0;
        while (i < layout.Length)
        {
            var (tok, len, digits) = Next(layout, i);
            if (tok == Tok.Literal)
            {
                lit.Append(layout[i]);
                i++;
                continue;
            }
            if (lit.Length > 0)
            {
                list.Add(new Token(Tok.Literal, lit.ToString()));
                lit.Clear();
            }
            list.Add(new Token(tok, layout.Substring(i, len), digits));
            i += len;
        }
        if (lit.Length > 0)
        {
            list.Add(new Token(Tok.Literal, lit.ToString()));
        }
        return list;
    }

    private static bool At(string s, int i, string what) => string.CompareOrdinal(s, i, what, 0, what.Length) == 0 && i + what.Length <= s.Length;

    private static (Tok Kind, int Len, int Digits) Next(string l, int i)
    {
        char c = l[i];
        switch (c)
        {
            case 'J':
                if (At(l, i, "January")) return (Tok.LongMonth, 7, 0);
                if (At(l, i, "Jan")) return (Tok.Month, 3, 0);
                break;
            case 'M':
                if (At(l, i, "Monday")) return (Tok.LongWeekDay, 6, 0);
                if (At(l, i, "Mon")) return (Tok.WeekDay, 3, 0);
                if (At(l, i, "MST")) return (Tok.TZ, 3, 0);
                break;
            case '0':
                if (At(l, i, "002")) return (Tok.YearDay, 3, 0);
                if (i + 1 < l.Length && l[i + 1] is >= '1' and <= '6')
                {
                    return (l[i + 1] switch
                    {
                        '1' => Tok.ZeroMonth,
                        '2' => Tok.ZeroDay,
                        '3' => Tok.ZeroHour12,
                        '4' => Tok.ZeroMinute,
                        '5' => Tok.ZeroSecond,
                        _ => Tok.Year,
                    }, 2, 0);
                }
                break;
            case '1':
                if (At(l, i, "15")) return (Tok.Hour, 2, 0);
                return (Tok.NumMonth, 1, 0);
            case '2':
                if (At(l, i, "2006")) return (Tok.LongYear, 4, 0);
                return (Tok.Day, 1, 0);
            case '_':
                if (At(l, i, "_2"))
                {
                    if (At(l, i, "_2006")) return (Tok.Literal, 1, 0);
                    return (Tok.UnderDay, 2, 0);
                }
                if (At(l, i, "__2")) return (Tok.UnderYearDay, 3, 0);
                break;
            case '3': return (Tok.Hour12, 1, 0);
            case '4': return (Tok.Minute, 1, 0);
            case '5': return (Tok.Second, 1, 0);
            case 'P':
                if (At(l, i, "PM")) return (Tok.PM, 2, 0);
                break;
            case 'p':
                if (At(l, i, "pm")) return (Tok.Pm, 2, 0);
                break;
            case '-':
                if (At(l, i, "-07:00:00")) return (Tok.NumColonSecondsTZ, 9, 0);
                if (At(l, i, "-070000")) return (Tok.NumSecondsTZ, 7, 0);
                if (At(l, i, "-07:00")) return (Tok.NumColonTZ, 6, 0);
                if (At(l, i, "-0700")) return (Tok.NumTZ, 5, 0);
                if (At(l, i, "-07")) return (Tok.NumShortTZ, 3, 0);
                break;
            case 'Z':
                if (At(l, i, "Z07:00:00")) return (Tok.IsoColonSecondsTZ, 9, 0);
                if (At(l, i, "Z070000")) return (Tok.IsoSecondsTZ, 7, 0);
                if (At(l, i, "Z07:00")) return (Tok.IsoColonTZ, 6, 0);
                if (At(l, i, "Z0700")) return (Tok.IsoTZ, 5, 0);
                if (At(l, i, "Z07")) return (Tok.IsoShortTZ, 3, 0);
                break;
            case '.' or ',':
                if (i + 1 < l.Length && l[i + 1] is '0' or '9')
                {
                    char ch = l[i + 1];
                    int j = i + 1;
                    while (j < l.Length && l[j] == ch)
                    {
                        j++;
                    }
                    if (j >= l.Length || !char.IsAsciiDigit(l[j]))
                    {
                        return (ch == '0' ? Tok.FracZero : Tok.FracNine, j - i, j - i - 1);
                    }
                }
                break;
        }
        return (Tok.Literal, 1, 0);
    }

    /// <summary>Formats a wall-clock time (local to its zone) with its UTC offset and nanosecond of second.</summary>
    public static string Format(string layout, DateTime local, int nanos, TimeSpan offset, string zoneAbbrev)
    {
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        foreach (var t in Tokenize(Resolve(layout)))
        {
            switch (t.Kind)
            {
                case Tok.Literal: sb.Append(t.Text); break;
                case Tok.LongMonth: sb.Append(LongMonths[local.Month - 1]); break;
                case Tok.Month: sb.Append(LongMonths[local.Month - 1].AsSpan(0, 3)); break;
                case Tok.NumMonth: sb.Append(local.Month.ToString(inv)); break;
                case Tok.ZeroMonth: sb.Append(local.Month.ToString("00", inv)); break;
                case Tok.LongWeekDay: sb.Append(LongDays[(int)local.DayOfWeek]); break;
                case Tok.WeekDay: sb.Append(LongDays[(int)local.DayOfWeek].AsSpan(0, 3)); break;
                case Tok.Day: sb.Append(local.Day.ToString(inv)); break;
                case Tok.UnderDay: sb.Append(local.Day < 10 ? " " : "").Append(local.Day.ToString(inv)); break;
                case Tok.ZeroDay: sb.Append(local.Day.ToString("00", inv)); break;
                case Tok.YearDay: sb.Append(local.DayOfYear.ToString("000", inv)); break;
                case Tok.UnderYearDay: sb.Append(local.DayOfYear.ToString(inv).PadLeft(3)); break;
                case Tok.Hour: sb.Append(local.Hour.ToString("00", inv)); break;
                case Tok.Hour12: sb.Append(H12(local.Hour).ToString(inv)); break;
                case Tok.ZeroHour12: sb.Append(H12(local.Hour).ToString("00", inv)); break;
                case Tok.Minute: sb.Append(local.Minute.ToString(inv)); break;
                case Tok.ZeroMinute: sb.Append(local.Minute.ToString("00", inv)); break;
                case Tok.Second: sb.Append(local.Second.ToString(inv)); break;
                case Tok.ZeroSecond: sb.Append(local.Second.ToString("00", inv)); break;
                case Tok.LongYear: sb.Append(local.Year.ToString("0000", inv)); break;
                case Tok.Year: sb.Append((local.Year % 100).ToString("00", inv)); break;
                case Tok.PM: sb.Append(local.Hour >= 12 ? "PM" : "AM"); break;
                case Tok.Pm: sb.Append(local.Hour >= 12 ? "pm" : "am"); break;
                case Tok.TZ: sb.Append(zoneAbbrev); break;
                case Tok.FracZero:
                case Tok.FracNine:
                    {
                        string digits = nanos.ToString("000000000", inv)[..Math.Min(9, t.Digits)];
                        if (t.Kind == Tok.FracNine)
                        {
                            digits = digits.TrimEnd('0');
                            if (digits.Length == 0)
                            {
                                break;
                            }
                        }
                        sb.Append(t.Text[0]).Append(digits);
                        break;
                    }
                default:
                    AppendZone(sb, t.Kind, offset);
                    break;
            }
        }
        return sb.ToString();
    }

    private static int H12(int h) => h % 12 == 0 ? 12 : h % 12;

    private static void AppendZone(StringBuilder sb, Tok kind, TimeSpan offset)
    {
        bool iso = kind is Tok.IsoTZ or Tok.IsoShortTZ or Tok.IsoColonTZ or Tok.IsoSecondsTZ or Tok.IsoColonSecondsTZ;
        if (iso && offset == TimeSpan.Zero)
        {
            sb.Append('Z');
            return;
        }
        int total = (int)offset.TotalSeconds;
        sb.Append(total < 0 ? '-' : '+');
        total = Math.Abs(total);
        var inv = CultureInfo.InvariantCulture;
        sb.Append((total / 3600).ToString("00", inv));
        bool colon = kind is Tok.NumColonTZ or Tok.IsoColonTZ or Tok.NumColonSecondsTZ or Tok.IsoColonSecondsTZ;
        if (kind is Tok.NumShortTZ or Tok.IsoShortTZ)
        {
            return;
        }
        if (colon) sb.Append(':');
        sb.Append((total / 60 % 60).ToString("00", inv));
        if (kind is Tok.NumSecondsTZ or Tok.IsoSecondsTZ or Tok.NumColonSecondsTZ or Tok.IsoColonSecondsTZ)
        {
            if (colon) sb.Append(':');
            sb.Append((total % 60).ToString("00", inv));
        }
    }
}

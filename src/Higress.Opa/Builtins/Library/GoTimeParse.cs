using System.Globalization;
using System.Numerics;

namespace Higress.Opa.Builtins.Library;

/// <summary>Parsing half of <see cref="GoTimeLayout"/> (Go's time.Parse).</summary>
internal static partial class GoTimeLayout
{
    /// <summary>Parses a value with a layout; returns nanoseconds since the Unix epoch (may exceed int64: caller checks).</summary>
    public static BigInteger Parse(string layout, string value, TimeZoneInfo? defaultZone)
    {
        string original = value;
        int year = 1, month = 1, day = 1, hour = 0, minute = 0, second = 0, nanos = 0, yday = -1;
        bool pm = false, pmSet = false;
        int? offsetSeconds = null;
        var tokens = Tokenize(Resolve(layout));
        for (int ti = 0; ti < tokens.Count; ti++)
        {
            var t = tokens[ti];
            switch (t.Kind)
            {
                case Tok.Literal:
                    if (!value.StartsWith(t.Text, StringComparison.Ordinal))
                    {
                        throw Bad(original, layout);
                    }
                    value = value[t.Text.Length..];
                    break;
                case Tok.LongMonth: month = Lookup(LongMonths, ref value, false, original, layout) + 1; break;
                case Tok.Month: month = Lookup(LongMonths, ref value, true, original, layout) + 1; break;
                case Tok.NumMonth: month = Num(ref value, 1, 2, original, layout); break;
                case Tok.ZeroMonth: month = Num(ref value, 2, 2, original, layout); break;
                case Tok.LongWeekDay: Lookup(LongDays, ref value, false, original, layout); break;
                case Tok.WeekDay: Lookup(LongDays, ref value, true, original, layout); break;
                case Tok.Day: day = Num(ref value, 1, 2, original, layout); break;
                case Tok.UnderDay:
                    if (value.StartsWith(' '))
                    {
                        value = value[1..];
                    }
                    day = Num(ref value, 1, 2, original, layout);
                    break;
                case Tok.ZeroDay: day = Num(ref value, 2, 2, original, layout); break;
                case Tok.YearDay: yday = Num(ref value, 3, 3, original, layout); break;
                case Tok.UnderYearDay: value = value.TrimStart(' '); yday = Num(ref value, 1, 3, original, layout); break;
                case Tok.Hour: hour = Num(ref value, 1, 2, original, layout); break;
                case Tok.Hour12: hour = Num(ref value, 1, 2, original, layout); break;
                case Tok.ZeroHour12: hour = Num(ref value, 2, 2, original, layout); break;
                case Tok.Minute: minute = Num(ref value, 1, 2, original, layout); break;
                case Tok.ZeroMinute: minute = Num(ref value, 2, 2, original, layout); break;
                case Tok.Second:
                case Tok.ZeroSecond:
                    second = Num(ref value, t.Kind == Tok.ZeroSecond ? 2 : 1, 2, original, layout);
                    bool layoutHasFrac = ti + 1 < tokens.Count && tokens[ti + 1].Kind is Tok.FracNine or Tok.FracZero;
                    if (!layoutHasFrac && value.Length >= 2 && value[0] is '.' or ',' && char.IsAsciiDigit(value[1]))
                    {
                        nanos = Frac(ref value);
                    }
                    break;
                case Tok.LongYear:
                    if (value.Length < 4 || !value[..4].All(char.IsAsciiDigit))
                    {
                        throw Bad(original, layout);
                    }
                    year = int.Parse(value[..4], CultureInfo.InvariantCulture);
                    value = value[4..];
                    break;
                case Tok.Year:
                    int y2 = Num(ref value, 2, 2, original, layout);
                    year = y2 >= 69 ? 1900 + y2 : 2000 + y2;
                    break;
                case Tok.PM:
                case Tok.Pm:
                    if (value.Length < 2)
                    {
                        throw Bad(original, layout);
                    }
                    string ap = value[..2].ToUpperInvariant();
                    if (ap is not ("AM" or "PM"))
                    {
                        throw Bad(original, layout);
                    }
                    pm = ap == "PM";
                    pmSet = true;
                    value = value[2..];
                    break;
                case Tok.TZ:
                    {
                        int n = 0;
                        while (n < value.Length && char.IsAsciiLetterUpper(value[n]))
                        {
                            n++;
                        }
                        if (n < 3)
                        {
                            throw Bad(original, layout);
                        }
                        string abbrev = value[..n];
                        value = value[n..];
                        if (abbrev is "UTC" or "GMT" or "Z")
                        {
                            offsetSeconds = 0;
                        }
                        break;
                    }
                case Tok.FracZero:
                case Tok.FracNine:
                    if (value.Length > 0 && value[0] is '.' or ',')
                    {
                        nanos = Frac(ref value);
                    }
                    else if (t.Kind == Tok.FracZero)
                    {
                        throw Bad(original, layout);
                    }
                    break;
                default:
                    offsetSeconds = ParseZone(t.Kind, ref value, original, layout);
                    break;
            }
        }
        if (value.Length > 0)
        {
            throw BuiltinException.Error($"parsing time \"{original}\": extra text: \"{value}\"");
        }
        if (pmSet)
        {
            if (pm && hour < 12) hour += 12;
            else if (!pm && hour == 12) hour = 0;
        }
        if (month is < 1 or > 12 || day < 1 || hour > 23 || minute > 59 || second > 59)
        {
            throw BuiltinException.Error($"parsing time \"{original}\": value out of range");
        }
        DateTime dt;
        try
        {
            if (yday >= 0)
            {
                dt = new DateTime(year, 1, 1, hour, minute, second, DateTimeKind.Unspecified).AddDays(yday - 1);
            }
            else
            {
                if (day > DateTime.DaysInMonth(year, month))
                {
                    throw BuiltinException.Error($"parsing time \"{original}\": day out of range");
                }
                dt = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified);
            }
        }
        catch (ArgumentOutOfRangeException)
        {
            throw BuiltinException.Error($"parsing time \"{original}\": value out of range");
        }
        TimeSpan offset = offsetSeconds is int os ? TimeSpan.FromSeconds(os) : (defaultZone ?? TimeZoneInfo.Utc).GetUtcOffset(dt);
        long utcTicks = dt.Ticks - offset.Ticks;
        return ((BigInteger)utcTicks - DateTime.UnixEpoch.Ticks) * 100 + nanos;
    }

    private static int ParseZone(Tok kind, ref string value, string original, string layout)
    {
        bool iso = kind is Tok.IsoTZ or Tok.IsoShortTZ or Tok.IsoColonTZ or Tok.IsoSecondsTZ or Tok.IsoColonSecondsTZ;
        if (iso && value.StartsWith('Z'))
        {
            value = value[1..];
            return 0;
        }
        if (value.Length < 3 || value[0] is not ('+' or '-'))
        {
            throw Bad(original, layout);
        }
        int sign = value[0] == '-' ? -1 : 1;
        value = value[1..];
        bool colon = kind is Tok.NumColonTZ or Tok.IsoColonTZ or Tok.NumColonSecondsTZ or Tok.IsoColonSecondsTZ;
        int h = Num(ref value, 2, 2, original, layout), m = 0, s = 0;
        if (kind is not (Tok.NumShortTZ or Tok.IsoShortTZ))
        {
            if (colon)
            {
                if (!value.StartsWith(':')) throw Bad(original, layout);
                value = value[1..];
            }
            m = Num(ref value, 2, 2, original, layout);
            if (kind is Tok.NumSecondsTZ or Tok.IsoSecondsTZ or Tok.NumColonSecondsTZ or Tok.IsoColonSecondsTZ)
            {
                if (colon)
                {
                    if (!value.StartsWith(':')) throw Bad(original, layout);
                    value = value[1..];
                }
                s = Num(ref value, 2, 2, original, layout);
            }
        }
        return sign * (h * 3600 + m * 60 + s);
    }

    private static int Frac(ref string value)
    {
        int j = 1;
        while (j < value.Length && char.IsAsciiDigit(value[j]))
        {
            j++;
        }
        string digits = value[1..j];
        value = value[j..];
        if (digits.Length > 9)
        {
            digits = digits[..9];
        }
        return int.Parse(digits.PadRight(9, '0'), CultureInfo.InvariantCulture);
    }

    private static int Num(ref string value, int min, int max, string original, string layout)
    {
        int n = 0;
        while (n < max && n < value.Length && char.IsAsciiDigit(value[n]))
        {
            n++;
        }
        if (n < min)
        {
            throw Bad(original, layout);
        }
        int v = int.Parse(value[..n], CultureInfo.InvariantCulture);
        value = value[n..];
        return v;
    }

    private static int Lookup(string[] names, ref string value, bool abbrev, string original, string layout)
    {
        for (int i = 0; i < names.Length; i++)
        {
            string name = abbrev ? names[i][..3] : names[i];
            if (value.StartsWith(name, StringComparison.OrdinalIgnoreCase))
            {
                value = value[name.Length..];
                return i;
            }
        }
        throw Bad(original, layout);
    }

    private static BuiltinException Bad(string value, string layout) =>
        BuiltinException.Error($"parsing time \"{value}\" as \"{layout}\": cannot parse \"{value}\" as \"{layout}\"");
}

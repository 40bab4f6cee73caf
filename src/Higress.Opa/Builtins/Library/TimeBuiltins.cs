using System.Globalization;
using System.Numerics;
using Higress.Opa.Values;

namespace Higress.Opa.Builtins.Library;

internal static class TimeBuiltins
{
    private static readonly string[] Weekdays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

    public static void Register(BuiltinRegistry r)
    {
        r.Register0("time.now_ns", ctx => RegoNumber.FromInt64(ctx.NowNanoseconds), BuiltinFlags.Nondeterministic);
        r.Register1("time.parse_rfc3339_ns", (a, _) => Checked(GoTimeLayout.Parse("2006-01-02T15:04:05Z07:00", Operand.AsString(a, 1), null)));
        r.Register2("time.parse_ns", (l, v, _) => Checked(GoTimeLayout.Parse(Operand.AsString(l, 1), Operand.AsString(v, 2), null)));
        r.Register1("time.parse_duration_ns", (a, _) => Checked(ParseDuration(Operand.AsString(a, 1))));
        r.Register1("time.date", (a, _) =>
        {
            var t = Time(a, 1);
            return RegoArray.Create(Int(t.Local.Year), Int(t.Local.Month), Int(t.Local.Day));
        });
        r.Register1("time.clock", (a, _) =>
        {
            var t = Time(a, 1);
            return RegoArray.Create(Int(t.Local.Hour), Int(t.Local.Minute), Int(t.Local.Second));
        });
        r.Register1("time.weekday", (a, _) => RegoString.Create(Weekdays[(int)Time(a, 1).Local.DayOfWeek]));
        r.Register4("time.add_date", (a, y, m, d, _) => AddDate(a, y, m, d));
        r.Register2("time.diff", (a, b, _) => Diff(Time(a, 1), Time(b, 2)));
        r.Register1("time.format", (a, _) =>
        {
            var t = Time(a, 1);
            string layout = a is RegoArray { Count: > 2 } arr ? Operand.AsString(arr[2], 1) : "2006-01-02T15:04:05.999999999Z07:00";
            return RegoString.Create(GoTimeLayout.Format(layout, t.Local, t.Nanos, t.Offset, t.Abbrev));
        });
    }

    private static RegoNumber Int(long v) => RegoNumber.FromInt64(v);

    private static RegoNumber Checked(BigInteger ns)
    {
        if (ns < long.MinValue || ns > long.MaxValue)
        {
            throw BuiltinException.Error("time outside of valid range");
        }
        return RegoNumber.FromBigInteger(ns);
    }

    internal readonly record struct ZonedTime(long Ns, DateTime Local, int Nanos, TimeSpan Offset, string Abbrev, TimeZoneInfo Zone);

    private static ZonedTime Time(RegoValue v, int pos)
    {
        RegoValue nsVal = v;
        TimeZoneInfo zone = TimeZoneInfo.Utc;
        if (v is RegoArray arr)
        {
            if (arr.Count < 1)
            {
                throw BuiltinException.TypeError($"operand {pos} must be number or array of (number, string) but got empty array");
            }
            nsVal = arr[0];
            if (arr.Count > 1)
            {
                zone = Zone(Operand.AsString(arr[1], pos));
            }
        }
        else if (v is not RegoNumber)
        {
            throw BuiltinException.OperandType(pos, v, "number", "array");
        }
        var n = Operand.AsNumber(nsVal, pos);
        long ns;
        if (n.IsInteger && n.TryGetBigInteger(out var big))
        {
            if (big < long.MinValue || big > long.MaxValue)
            {
                throw BuiltinException.Error("timestamp too big");
            }
            ns = (long)big;
        }
        else
        {
            double d = Math.Truncate(n.ToDouble());
            if (d < long.MinValue || d > long.MaxValue)
            {
                throw BuiltinException.Error("timestamp too big");
            }
            ns = (long)d;
        }
        return FromNs(ns, zone);
    }

    internal static ZonedTime FromNs(long ns, TimeZoneInfo zone)
    {
        long ticks = Math.DivRem(ns, 100, out long rem);
        if (rem < 0)
        {
            ticks--;
            rem += 100;
        }
        var utc = new DateTime(DateTime.UnixEpoch.Ticks + ticks, DateTimeKind.Utc);
        var offset = zone.GetUtcOffset(utc);
        var local = DateTime.SpecifyKind(utc + offset, DateTimeKind.Unspecified);
        int nanos = (int)(local.Ticks % TimeSpan.TicksPerSecond * 100 + rem);
        string abbrev = zone == TimeZoneInfo.Utc ? "UTC" : TimeZoneAbbreviations.For(zone, offset);
        return new ZonedTime(ns, local, nanos, offset, abbrev, zone);
    }

    internal static TimeZoneInfo Zone(string name)
    {
        if (name is "" or "UTC")
        {
            return TimeZoneInfo.Utc;
        }
        if (name == "Local")
        {
            return TimeZoneInfo.Local;
        }
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(name);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw BuiltinException.Error("unknown time zone " + name);
        }
    }

    private static RegoNumber AddDate(RegoValue a, RegoValue y, RegoValue m, RegoValue d)
    {
        var t = Time(a, 1);
        long years = LibraryHelpers.AsInt64(y, 2), months = LibraryHelpers.AsInt64(m, 3), days = LibraryHelpers.AsInt64(d, 4);
        long totalMonths = t.Local.Year * 12L + (t.Local.Month - 1) + years * 12 + months;
        long year = Math.DivRem(totalMonths, 12, out long mon);
        if (mon < 0)
        {
            mon += 12;
            year--;
        }
        if (year is < 1 or > 9999)
        {
            throw BuiltinException.Error("time outside of valid range");
        }
        DateTime date;
        try
        {
            date = new DateTime((int)year, (int)mon + 1, 1).AddDays(t.Local.Day - 1 + (double)days) + t.Local.TimeOfDay;
        }
        catch (ArgumentOutOfRangeException)
        {
            throw BuiltinException.Error("time outside of valid range");
        }
        var offset = t.Zone.GetUtcOffset(date);
        BigInteger ns = ((BigInteger)(date.Ticks - offset.Ticks) - DateTime.UnixEpoch.Ticks) * 100 + (t.Nanos % 100);
        return Checked(ns);
    }

    private static RegoArray Diff(ZonedTime a, ZonedTime b)
    {
        if (a.Zone != b.Zone)
        {
            b = FromNs(b.Ns, a.Zone);
        }
        if (a.Ns > b.Ns)
        {
            (a, b) = (b, a);
        }
        DateTime x = a.Local, y = b.Local;
        int year = y.Year - x.Year, month = y.Month - x.Month, day = y.Day - x.Day;
        int hour = y.Hour - x.Hour, min = y.Minute - x.Minute, sec = y.Second - x.Second;
        if (sec < 0) { sec += 60; min--; }
        if (min < 0) { min += 60; hour--; }
        if (hour < 0) { hour += 24; day--; }
        if (day < 0)
        {
            day += DateTime.DaysInMonth(x.Year, x.Month);
            month--;
        }
        if (month < 0) { month += 12; year--; }
        return RegoArray.Create(Int(year), Int(month), Int(day), Int(hour), Int(min), Int(sec));
    }

    private static BigInteger ParseDuration(string s)
    {
        string orig = s;
        if (s.Length == 0)
        {
            throw BuiltinException.Error($"time: invalid duration \"{orig}\"");
        }
        bool neg = false;
        if (s[0] is '-' or '+')
        {
            neg = s[0] == '-';
            s = s[1..];
        }
        if (s == "0")
        {
            return 0;
        }
        if (s.Length == 0)
        {
            throw BuiltinException.Error($"time: invalid duration \"{orig}\"");
        }
        BigInteger total = 0;
        while (s.Length > 0)
        {
            int i = 0;
            while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
            string whole = s[..i];
            string frac = "";
            if (i < s.Length && s[i] == '.')
            {
                int j = i + 1;
                while (j < s.Length && char.IsAsciiDigit(s[j])) j++;
                frac = s[(i + 1)..j];
                i = j;
            }
            if (whole.Length == 0 && frac.Length == 0)
            {
                throw BuiltinException.Error($"time: invalid duration \"{orig}\"");
            }
            int u = i;
            while (u < s.Length && !char.IsAsciiDigit(s[u]) && s[u] != '.') u++;
            string unit = s[i..u];
            BigInteger mult = unit switch
            {
                "ns" => 1,
                "us" or "µs" or "μs" => 1000,
                "ms" => 1_000_000,
                "s" => 1_000_000_000,
                "m" => 60_000_000_000,
                "h" => 3_600_000_000_000,
                "" => throw BuiltinException.Error($"time: missing unit in duration \"{orig}\""),
                _ => throw BuiltinException.Error($"time: unknown unit \"{unit}\" in duration \"{orig}\""),
            };
            BigInteger w = whole.Length == 0 ? 0 : BigInteger.Parse(whole, CultureInfo.InvariantCulture);
            total += w * mult;
            if (frac.Length > 0)
            {
                total += BigInteger.Parse(frac, CultureInfo.InvariantCulture) * mult / BigInteger.Pow(10, frac.Length);
            }
            s = s[u..];
        }
        return neg ? -total : total;
    }
}
